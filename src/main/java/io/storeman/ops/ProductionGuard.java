package io.storeman.ops;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.storeman.common.StoremanConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses to start the production profile without its own datasource, with the dev profile's demo data (a published
 * client secret and password) reachable, or with signing keys kept in the database but no key-encryption key to keep
 * them encrypted, or the dev profile's published one (K5).
 */
@ApplicationScoped
public class ProductionGuard {

    static final String DEMO_CLIENT_ID = "Awbnm2osV49A_Ci1Rp14xz61vHyiuO6ub9nSwXS9pw3";
    /** The dev and test profiles' key-encryption key, published in application.properties (K6). */
    static final String DEV_ENCRYPTION_KEY = "bsKWA/ofw3bWY2TN6S58g++IzC7RCRyTqYoLCyFPKDA=";

    private final Pool pool;
    private final Optional<String> reactiveUrl;
    private final List<String> flywayLocations;
    private final StoremanConfig.Keys keys;

    ProductionGuard(Pool pool,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") Optional<String> reactiveUrl,
            @ConfigProperty(name = "quarkus.flyway.locations", defaultValue = "db/migration") List<String> locations,
            StoremanConfig config) {
        this.pool = pool;
        this.reactiveUrl = reactiveUrl;
        this.flywayLocations = locations;
        this.keys = config.keys();
    }

    void check(@Observes @Priority(1) StartupEvent event) {
        if (LaunchMode.current() != LaunchMode.NORMAL) {
            return;
        }
        List<String> problems = problems(reactiveUrl, flywayLocations);
        problems.addAll(keyProblems(keys.encryptionKey()));
        if (problems.isEmpty() && demoClientPresent()) {
            problems.add("the database holds the dev profile's demo application");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Refusing to start in production: " + String.join("; ", problems));
        }
    }

    static List<String> problems(Optional<String> reactiveUrl, List<String> flywayLocations) {
        List<String> problems = new ArrayList<>();
        if (reactiveUrl.filter(url -> !url.isBlank()).isEmpty()) {
            problems.add("no datasource: set QUARKUS_DATASOURCE_REACTIVE_URL (and QUARKUS_DATASOURCE_JDBC_URL)");
        }
        if (flywayLocations.stream().anyMatch(location -> location.contains("db/dev"))) {
            problems.add("the demo data location db/dev is among the Flyway locations");
        }
        return problems;
    }

    /**
     * K5: the keys generated and kept in the database need a key-encryption key, and not the published one of the dev
     * profile. A supplied {@code private-key-pem} covers one algorithm only; the other's keys are kept in the database
     * (O2), so it no longer spares the KEK.
     */
    static List<String> keyProblems(Optional<String> encryptionKey) {
        Optional<String> kek = encryptionKey.filter(value -> !value.isBlank());
        if (kek.isPresent() && MessageDigest.isEqual(kek.get().strip().getBytes(StandardCharsets.US_ASCII),
                DEV_ENCRYPTION_KEY.getBytes(StandardCharsets.US_ASCII))) {
            return List.of("STOREMAN_KEYS_ENCRYPTION_KEY is the dev profile's published key-encryption key");
        }
        if (kek.isEmpty()) {
            return List.of("signing keys are kept in the database and no key-encryption key is set: set"
                    + " STOREMAN_KEYS_ENCRYPTION_KEY to the base64 of 32 random bytes"
                    + " (head -c 32 /dev/urandom | base64)");
        }
        return List.of();
    }

    private boolean demoClientPresent() {
        return pool.preparedQuery("select count(*) from oauth_applications where client_id = $1")
                .execute(Tuple.of(DEMO_CLIENT_ID))
                .map(rows -> rows.iterator().next().getLong(0) > 0)
                .await().atMost(Duration.ofSeconds(30));
    }
}
