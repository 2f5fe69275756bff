package io.storeman.support;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * For the tests of per-address limits: a test profile in which 127.0.0.1 is a trusted proxy, so that each test can
 * speak from addresses of its own through {@code X-Forwarded-For}, on a schema of its own, so that what other test
 * classes leave counted for 127.0.0.1 cannot reach it.
 */
public final class ProxiedClients {

    private static final AtomicInteger ADDRESSES = new AtomicInteger(ThreadLocalRandom.current().nextInt(1 << 16));

    private ProxiedClients() {
    }

    /** The profile's configuration: {@code settings} on the test schema plus {@code schemaSuffix}, behind a proxy. */
    public static Map<String, String> profile(String schemaSuffix, Map<String, String> settings) {
        String schema = System.getenv().getOrDefault("STOREMAN_TEST_SCHEMA", "storeman_test") + schemaSuffix;
        Map<String, String> config = new HashMap<>(settings);
        config.put("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/postgres?search_path=" + schema);
        config.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/postgres?currentSchema=" + schema);
        config.put("quarkus.flyway.schemas", schema);
        config.putIfAbsent("storeman.http.trusted-proxies", "127.0.0.1,::1");
        return config;
    }

    /** A client address no other request of this run has used (198.18.0.0/15 is set aside for tests). */
    public static String newAddress() {
        int n = ADDRESSES.incrementAndGet() % (1 << 17);
        return "198." + (18 + (n >> 16)) + "." + ((n >> 8) & 0xff) + "." + (n & 0xff);
    }

    /** A number no other caller of this run has had, to build addresses of other shapes (IPv6) from. */
    public static int newNumber() {
        return ADDRESSES.incrementAndGet();
    }
}
