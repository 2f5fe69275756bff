package io.storeman.ops;

import io.storeman.oauth.revoke.RevocationList;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready while this instance cannot vouch that its revocation list is current (it would answer 503). */
@Readiness
@ApplicationScoped
public class RevocationListReadiness implements HealthCheck {

    private final RevocationList revocations;

    RevocationListReadiness(RevocationList revocations) {
        this.revocations = revocations;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("revocation-list")
                .status(revocations.isCurrent())
                .withData("entries", revocations.size())
                .withData("age_seconds", (long) revocations.ageSeconds())
                .build();
    }
}
