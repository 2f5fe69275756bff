package io.storeman.oauth.client;

import io.smallrye.mutiny.Uni;
import io.storeman.application.ClientCache;
import io.storeman.application.OAuthApplication;
import io.storeman.application.SecretUse;
import io.storeman.common.Secrets;
import io.storeman.oauth.OAuthError;
import io.storeman.oauth.OAuthException;
import io.storeman.oauth.OAuthParameters;
import io.storeman.security.ClientAddress;
import io.storeman.security.LoginThrottle;
import jakarta.enterprise.context.ApplicationScoped;

/** Resolves the client of a request to an OAuth endpoint, or fails with {@code invalid_client}. */
@ApplicationScoped
public class ClientAuthenticator {

    private final ClientCache applications;
    private final LoginThrottle throttle;
    private final SecretUse secretUse;

    ClientAuthenticator(ClientCache applications, LoginThrottle throttle, SecretUse secretUse) {
        this.applications = applications;
        this.throttle = throttle;
        this.secretUse = secretUse;
    }

    /** The authenticated client; a failure counts against the caller's address (brute-force protection). */
    public Uni<OAuthApplication> authenticate(String authorization, OAuthParameters parameters) {
        String address = ClientAddress.current().key();
        ClientCredentials credentials;
        try {
            credentials = ClientCredentials.extract(authorization, parameters);
        } catch (OAuthException e) {
            return failed(e, address);
        }
        return applications.find(credentials.clientId())
                .map(client -> verify(client, credentials))
                .onFailure(OAuthException.class).recoverWithUni(e -> failed((OAuthException) e, address));
    }

    private Uni<OAuthApplication> failed(OAuthException failure, String address) {
        if (failure.error() != OAuthError.INVALID_CLIENT) {
            return Uni.createFrom().failure(failure);
        }
        return throttle.addressFailed(address).chain(() -> Uni.createFrom().failure(failure));
    }

    /**
     * A confidential client authenticates with any of its live secrets (D10), and the one it used is recorded as
     * used; a public client sends no secret at all.
     */
    private OAuthApplication verify(ClientCache.CachedClient client, ClientCredentials credentials) {
        String presentedHash = credentials.secret() == null ? null : Secrets.sha256(credentials.secret());
        if (client == null) {
            throw credentials.failure();
        }
        OAuthApplication application = client.application();
        if (!application.confidential) {
            if (credentials.secret() != null || credentials.basic()) {
                throw credentials.failure();
            }
            return application;
        }
        Long secretId = client.secretMatching(presentedHash);
        if (secretId == null) {
            throw credentials.failure();
        }
        secretUse.used(secretId);
        return application;
    }
}
