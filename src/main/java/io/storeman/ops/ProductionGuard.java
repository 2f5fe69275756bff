package io.storeman.ops;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses to start the production profile without its own datasource, or with the dev profile's demo data
 * (a published client secret and password) reachable.
 */
@ApplicationScoped
public class ProductionGuard {

    static final String DEMO_CLIENT_ID = "Awbnm2osV49A_Ci1Rp14xz61vHyiuO6ub9nSwXS9pw3";

    private final Pool pool;
    private final Optional<String> reactiveUrl;
    private final List<String> flywayLocations;

    ProductionGuard(Pool pool,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") Optional<String> reactiveUrl,
            @ConfigProperty(name = "quarkus.flyway.locations", defaultValue = "db/migration") List<String> locations) {
        this.pool = pool;
        this.reactiveUrl = reactiveUrl;
        this.flywayLocations = locations;
    }

    void check(@Observes @Priority(1) StartupEvent event) {
        if (LaunchMode.current() != LaunchMode.NORMAL) {
            return;
        }
        List<String> problems = problems(reactiveUrl, flywayLocations);
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

    private boolean demoClientPresent() {
        return pool.preparedQuery("select count(*) from oauth_applications where client_id = $1")
                .execute(Tuple.of(DEMO_CLIENT_ID))
                .map(rows -> rows.iterator().next().getLong(0) > 0)
                .await().atMost(Duration.ofSeconds(30));
    }
}
