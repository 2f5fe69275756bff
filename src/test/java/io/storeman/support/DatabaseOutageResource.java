package io.storeman.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Puts a {@link DatabaseProxy} between the application under test and PostgreSQL. */
public class DatabaseOutageResource implements QuarkusTestResourceLifecycleManager {

    private static volatile DatabaseProxy proxy;

    public static DatabaseProxy proxy() {
        return proxy;
    }

    @Override
    public Map<String, String> start() {
        try {
            proxy = new DatabaseProxy("127.0.0.1", 5432);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String schema = System.getenv().getOrDefault("STOREMAN_TEST_SCHEMA", "storeman_test");
        String hostPort = "127.0.0.1:" + proxy.port();
        return Map.of(
                "quarkus.datasource.reactive.url", "postgresql://" + hostPort + "/postgres?search_path=" + schema,
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://" + hostPort + "/postgres?currentSchema=" + schema);
    }

    @Override
    public void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }
}
