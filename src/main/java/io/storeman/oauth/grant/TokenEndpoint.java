package io.storeman.oauth.grant;

import io.quarkus.arc.All;
import io.smallrye.mutiny.Uni;
import io.storeman.oauth.OAuthError;
import io.storeman.oauth.OAuthMetrics;
import io.storeman.oauth.OAuthParameters;
import io.storeman.oauth.client.ClientAuthenticator;
import io.storeman.oauth.dpop.DpopProofs;
import io.storeman.oauth.dpop.DpopVerifier;
import io.storeman.oauth.token.IssuedTokens;
import io.storeman.security.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Picks the grant for a token request, checks its DPoP proof if any, authenticates its client, and only then records
 * the proof's {@code jti} (one write, docs/security.md B3) and lets the grant bind the tokens to the proof's key (B4).
 * An application registered with {@code dpop_bound_access_tokens} gets tokens only with a proof.
 */
@ApplicationScoped
public class TokenEndpoint {

    private final Map<String, TokenGrant> grants;
    private final ClientAuthenticator clients;
    private final OAuthMetrics metrics;
    private final AuditLog audit;
    private final DpopVerifier dpop;

    TokenEndpoint(@All List<TokenGrant> grants, ClientAuthenticator clients, OAuthMetrics metrics,
            AuditLog audit, DpopVerifier dpop) {
        this.audit = audit;
        this.dpop = dpop;
        this.grants = grants.stream().collect(Collectors.toUnmodifiableMap(TokenGrant::grantType, Function.identity()));
        this.clients = clients;
        this.metrics = metrics;
    }

    /** The path of the token endpoint, which a proof's {@code htu} names. */
    public static final String PATH = "/oauth/token";

    /** A token request; {@code dpopHeaders} holds every {@code DPoP} header it carried (none, one, or too many). */
    public Uni<IssuedTokens> token(String authorization, OAuthParameters parameters, List<String> dpopHeaders) {
        TokenGrant grant = grants.get(parameters.require("grant_type"));
        if (grant == null) {
            throw OAuthError.UNSUPPORTED_GRANT_TYPE.exception();
        }
        Optional<DpopProofs.Proof> proof = dpop.check(dpopHeaders, "POST", PATH, null);
        Uni<?> nonce = proof.isPresent() ? dpop.checkNonce(proof.get()) : Uni.createFrom().voidItem();
        return nonce.chain(() -> clients.authenticate(authorization, parameters))
                .call(client -> {
                    if (proof.isEmpty()) {
                        if (client.dpopBoundAccessTokens) {
                            throw OAuthError.INVALID_DPOP_PROOF.exception(
                                    "This application must send a DPoP proof with every token request.");
                        }
                        return Uni.createFrom().voidItem();
                    }
                    return dpop.record(proof.get());
                })
                .chain(client -> grant.issue(parameters, client, proof.map(DpopProofs.Proof::jkt).orElse(null))
                        .invoke(tokens -> {
                            metrics.tokenIssued(grant.grantType());
                            audit.record(grant.grantType().equals("refresh_token")
                                    ? AuditLog.Event.TOKEN_REFRESHED
                                    : AuditLog.Event.TOKEN_ISSUED, tokens.userId(), client.clientId,
                                    "grant_type=" + grant.grantType());
                        }));
    }

    /** The grant types this server supports, for the server metadata. */
    public List<String> grantTypes() {
        return grants.keySet().stream().sorted().toList();
    }
}
