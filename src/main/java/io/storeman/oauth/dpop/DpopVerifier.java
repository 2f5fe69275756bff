package io.storeman.oauth.dpop;

import io.smallrye.mutiny.Uni;
import io.storeman.common.ServerSecrets;
import io.storeman.common.StoremanConfig;
import io.storeman.oauth.OAuthError;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
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

    /** The {@code ServerSecrets} name of the key behind server nonces (B8). */
    static final String NONCE_KEY = "dpop_nonce_key";

    private final DpopProofs proofs;
    private final DpopReplayCache replays;
    private final ServerSecrets secrets;
    private final boolean noncesRequired;
    private final Duration nonceLifetime;
    /** Made once the shared key has been read; null until then (the key is read on the first proof). */
    private volatile DpopNonces nonces;

    DpopVerifier(DpopProofs proofs, DpopReplayCache replays, ServerSecrets secrets, StoremanConfig config) {
        this.proofs = proofs;
        this.replays = replays;
        this.secrets = secrets;
        this.noncesRequired = config.dpop().nonces();
        this.nonceLifetime = config.dpop().nonceLifetime();
    }

    /** Whether proofs must carry a server nonce ({@code storeman.dpop.nonces}, B8). */
    public boolean noncesRequired() {
        return noncesRequired;
    }

    /**
     * The nonce to send in a successful answer's {@code DPoP-Nonce} header, or null when nonces are off (or the key
     * has not been read yet, which cannot be after a proof was accepted).
     */
    public String currentNonce() {
        DpopNonces known = nonces;
        return noncesRequired && known != null ? known.current() : null;
    }

    /**
     * When nonces are on, {@code use_dpop_nonce} carrying a fresh nonce unless {@code proof}'s {@code nonce} is the
     * current or previous slot's (B8); nothing when they are off. No write: the shared key is read once.
     */
    public Uni<DpopProofs.Proof> checkNonce(DpopProofs.Proof proof) {
        if (!noncesRequired) {
            return Uni.createFrom().item(proof);
        }
        return nonces().map(known -> {
            if (!known.accepts(proof.nonce())) {
                throw OAuthError.USE_DPOP_NONCE.exception(proof.nonce() == null
                        ? "This server requires a nonce in DPoP proofs: use the one of the DPoP-Nonce header."
                        : "The DPoP proof's nonce is unknown or expired: use the one of the DPoP-Nonce header.")
                        .withDpopNonce(known.current());
            }
            return proof;
        });
    }

    private Uni<DpopNonces> nonces() {
        DpopNonces known = nonces;
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return secrets.get(NONCE_KEY).map(key -> {
            DpopNonces made = new DpopNonces(key, nonceLifetime, Clock.systemUTC());
            nonces = made;
            return made;
        });
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
