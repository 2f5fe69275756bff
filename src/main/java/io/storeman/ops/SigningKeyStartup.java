package io.storeman.ops;

import io.storeman.oauth.keys.SigningKeys;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

/**
 * Started once the schema is migrated (Flyway runs before any bean observes start-up) and the signing keys are
 * loaded: a key of each algorithm, since access tokens sign with one and ID tokens with either (O1).
 */
@Startup
@ApplicationScoped
public class SigningKeyStartup implements HealthCheck {

    private final SigningKeys keys;

    SigningKeyStartup(SigningKeys keys) {
        this.keys = keys;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("signing-key").status(keys.isLoaded()).build();
    }
}
