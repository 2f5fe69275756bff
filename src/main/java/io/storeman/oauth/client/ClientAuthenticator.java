package io.storeman.oauth.client;

import io.smallrye.mutiny.Uni;
import io.storeman.application.ClientCache;
import io.storeman.application.OAuthApplication;
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

    ClientAuthenticator(ClientCache applications, LoginThrottle throttle) {
        this.applications = applications;
        this.throttle = throttle;
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
                .map(application -> verify(application, credentials))
                .onFailure(OAuthException.class).recoverWithUni(e -> failed((OAuthException) e, address));
    }

    private Uni<OAuthApplication> failed(OAuthException failure, String address) {
        if (failure.error() != OAuthError.INVALID_CLIENT) {
            return Uni.createFrom().failure(failure);
        }
        return throttle.addressFailed(address).chain(() -> Uni.createFrom().failure(failure));
    }

    private static OAuthApplication verify(OAuthApplication application, ClientCredentials credentials) {
        String presentedHash = credentials.secret() == null ? null : Secrets.sha256(credentials.secret());
        if (application == null) {
            throw credentials.failure();
        }
        boolean authenticated = application.confidential
                ? Secrets.constantTimeEquals(presentedHash, application.secretHash)
                : credentials.secret() == null && !credentials.basic();
        if (!authenticated) {
            throw credentials.failure();
        }
        return application;
    }
}
