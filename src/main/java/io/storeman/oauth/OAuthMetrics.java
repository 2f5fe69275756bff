package io.storeman.oauth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The security counters of the server, published at /q/metrics (Prometheus). */
@ApplicationScoped
public class OAuthMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> issued = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final Counter revocations;
    private final Counter reuseDetections;
    private final Counter failedSignIns;
    private final Timer passwordHash;

    OAuthMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.revocations = Counter.builder("storeman.revocations")
                .description("Revocation requests that revoked something").register(registry);
        this.reuseDetections = Counter.builder("storeman.refresh_token.reuse")
                .description("Reuses of a rotated refresh token (each revoked a token family)").register(registry);
        this.failedSignIns = Counter.builder("storeman.sign_in.failures")
                .description("Failed user authentications (password grant, account API, sign-in page)")
                .register(registry);
        this.passwordHash = Timer.builder("storeman.password.hash")
                .description("Time to compute one Argon2id password hash").register(registry);
    }

    public void tokenIssued(String grantType) {
        issued.computeIfAbsent(grantType, grant -> Counter.builder("storeman.tokens.issued")
                .description("Tokens issued, by grant type").tag("grant_type", grant).register(registry))
                .increment();
    }

    public void tokenError(OAuthError error) {
        errors.computeIfAbsent(error.code(), code -> Counter.builder("storeman.token.errors")
                .description("Error answers of the OAuth endpoints, by error code").tag("error", code)
                .register(registry))
                .increment();
    }

    public void revoked() {
        revocations.increment();
    }

    public void refreshTokenReused() {
        reuseDetections.increment();
    }

    public void signInFailed() {
        failedSignIns.increment();
    }

    public Timer passwordHashTimer() {
        return passwordHash;
    }

    public MeterRegistry registry() {
        return registry;
    }
}
