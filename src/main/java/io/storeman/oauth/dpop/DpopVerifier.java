package io.storeman.oauth.dpop;

import io.smallrye.mutiny.Uni;
import io.storeman.oauth.OAuthError;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * The DPoP step of a request: at most one {@code DPoP} header (RFC 9449 §4.3 check 1), checked by {@link DpopProofs}
 * (no state), then recorded in {@link DpopReplayCache} (one statement). Callers run the stateless check first and
 * record the proof only once the rest of the request is known to be worth it, so that garbage costs no write.
 */
@ApplicationScoped
public class DpopVerifier {

    public static final String HEADER = "DPoP";

    private final DpopProofs proofs;
    private final DpopReplayCache replays;

    DpopVerifier(DpopProofs proofs, DpopReplayCache replays) {
        this.proofs = proofs;
        this.replays = replays;
    }

    /** The accepted proof algorithms, space-separated, for {@code WWW-Authenticate: DPoP algs="..."}. */
    public static String algorithms() {
        return String.join(" ", DpopProofs.ALGORITHMS);
    }

    /**
     * The checked proof of the request ({@code headers}: every {@code DPoP} header it carried), or empty without
     * one; {@code invalid_dpop_proof} for several headers or a bad proof. Not yet recorded: see {@link #record}.
     */
    public Optional<DpopProofs.Proof> check(List<String> headers, String method, String path, String accessToken) {
        if (headers == null || headers.isEmpty()) {
            return Optional.empty();
        }
        if (headers.size() > 1) {
            throw OAuthError.INVALID_DPOP_PROOF.exception("Send one DPoP header.");
        }
        return Optional.of(proofs.check(headers.get(0), method, path, accessToken));
    }

    /** Records a checked proof's {@code jti} on every instance; {@code invalid_dpop_proof} when seen before. */
    public Uni<DpopProofs.Proof> record(DpopProofs.Proof proof) {
        return replays.record(proof, proofs);
    }
}
