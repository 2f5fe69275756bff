package io.storeman.oauth.grant;

import io.quarkus.arc.All;
import io.smallrye.mutiny.Uni;
import io.storeman.oauth.OAuthError;
import io.storeman.oauth.OAuthMetrics;
import io.storeman.oauth.OAuthParameters;
import io.storeman.oauth.client.ClientAuthenticator;
import io.storeman.oauth.token.IssuedTokens;
import io.storeman.security.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Picks the grant for a token request and authenticates its client. */
@ApplicationScoped
public class TokenEndpoint {

    private final Map<String, TokenGrant> grants;
    private final ClientAuthenticator clients;
    private final OAuthMetrics metrics;
    private final AuditLog audit;

    TokenEndpoint(@All List<TokenGrant> grants, ClientAuthenticator clients, OAuthMetrics metrics,
            AuditLog audit) {
        this.audit = audit;
        this.grants = grants.stream().collect(Collectors.toUnmodifiableMap(TokenGrant::grantType, Function.identity()));
        this.clients = clients;
        this.metrics = metrics;
    }

    public Uni<IssuedTokens> token(String authorization, OAuthParameters parameters) {
        TokenGrant grant = grants.get(parameters.require("grant_type"));
        if (grant == null) {
            throw OAuthError.UNSUPPORTED_GRANT_TYPE.exception();
        }
        return clients.authenticate(authorization, parameters)
                .chain(client -> grant.issue(parameters, client)
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
