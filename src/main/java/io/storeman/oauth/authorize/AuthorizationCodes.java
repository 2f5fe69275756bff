package io.storeman.oauth.authorize;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.storeman.application.OAuthApplication;
import io.storeman.common.Secrets;
import io.storeman.common.StoremanConfig;
import io.storeman.oauth.Scope;
import io.storeman.oauth.Scopes;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/** Issues authorization codes once the user has approved a request (RFC 6749 §4.1.2). */
@ApplicationScoped
public class AuthorizationCodes {

    private final AuthorizationCodeRepository codes;
    private final StoremanConfig config;

    AuthorizationCodes(AuthorizationCodeRepository codes, StoremanConfig config) {
        this.codes = codes;
        this.config = config;
    }

    /**
     * A new single-use code for {@code userId}, bound to {@code client}, the redirect URI the authorization request
     * named ({@code null} when it named none, the registered one applying) and the PKCE S256 {@code codeChallenge};
     * valid for {@code storeman.oauth.authorization-code-ttl}. The request must have been validated first
     * ({@link AuthorizationRequests#validate}): arguments that could not have passed are a programming error. A code
     * whose scope includes {@code openid} keeps {@code nonce} (null when the request had none) and {@code authTime}
     * (when the user signed in) for its ID token; any other keeps neither, as it yields none (O3).
     */
    @WithTransaction
    public Uni<String> issue(long userId, OAuthApplication client, String redirectUri, Scopes scopes,
            String codeChallenge, String nonce, Instant authTime) {
        if (client.redirectUri == null || (redirectUri != null && !redirectUri.equals(client.redirectUri))) {
            throw new IllegalArgumentException("The redirect URI is not registered for this client");
        }
        if (!Pkce.isValidChallenge(codeChallenge)) {
            throw new IllegalArgumentException("The code challenge is not an S256 challenge");
        }
        if (scopes.isEmpty() || !client.scopes.containsAll(scopes)) {
            throw new IllegalArgumentException("The scopes exceed what the client is registered for");
        }
        String code = Secrets.newToken();
        AuthorizationCode row = new AuthorizationCode();
        row.codeHash = Secrets.sha256(code);
        row.applicationId = client.id;
        row.userId = userId;
        row.redirectUri = redirectUri;
        row.scope = scopes;
        row.codeChallenge = codeChallenge;
        row.familyId = UUID.randomUUID();
        row.createdAt = Instant.now();
        row.expiresAt = row.createdAt.plus(config.oauth().authorizationCodeTtl());
        if (scopes.contains(Scope.OPENID)) {
            row.nonce = nonce;
            row.authTime = authTime;
        }
        return codes.persist(row).replaceWith(code);
    }
}
