package io.storeman.oauth.client;

import io.smallrye.mutiny.Uni;
import io.storeman.application.ApplicationRepository;
import io.storeman.application.OAuthApplication;
import io.storeman.common.Secrets;
import io.storeman.oauth.OAuthParameters;
import jakarta.enterprise.context.ApplicationScoped;

/** Resolves the client of a request to an OAuth endpoint, or fails with {@code invalid_client}. */
@ApplicationScoped
public class ClientAuthenticator {

    private final ApplicationRepository applications;

    ClientAuthenticator(ApplicationRepository applications) {
        this.applications = applications;
    }

    public Uni<OAuthApplication> authenticate(String authorization, OAuthParameters parameters) {
        ClientCredentials credentials = ClientCredentials.extract(authorization, parameters);
        return applications.findByClientId(credentials.clientId())
                .map(application -> verify(application, credentials));
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
