package io.storeman.support;

import static io.restassured.RestAssured.given;

import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.storeman.support.Fixtures.App;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One instance of the packaged application ({@code target/quarkus-app/quarkus-run.jar}, production profile) run as
 * a separate process on a free port, configured only through the environment as an operator would, against the
 * test schema of the local PostgreSQL (or whatever host and port the caller names, such as a {@link DatabaseProxy}).
 * Its console goes to {@code target/<name>.log}.
 */
public final class AppInstance implements AutoCloseable {

    public static final String ISSUER = "http://storeman.test";
    /** The local PostgreSQL, as host:port. */
    public static final String LOCAL_DATABASE = "127.0.0.1:5432";
    /** How long an instance may take to become ready on a loaded machine. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /**
     * The integration tests' key-encryption key: the production profile refuses the test profile's own (K5), which
     * is listed as a previous one instead, so that the keys the unit tests left in the shared schema are taken over
     * as in an operator's rotation (K4).
     */
    public static final String ENCRYPTION_KEY = "MX8VTVyZH7kf46Ck8CgOBVZvSH1LrwtCIhcl/EhnaY4=";
    private static final String TEST_PROFILE_ENCRYPTION_KEY = "bsKWA/ofw3bWY2TN6S58g++IzC7RCRyTqYoLCyFPKDA=";
    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    private final String name;
    private final int port;
    private final Process process;
    private final File log;

    private AppInstance(String name, int port, Process process, File log) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** The test schema every instance shares, as the unit tests use it. */
    public static String schema() {
        return System.getenv().getOrDefault("STOREMAN_TEST_SCHEMA", "storeman_test");
    }

    /** Starts an instance whose database is at {@code dbHostPort} (e.g. 127.0.0.1:5432); does not wait for it. */
    public static AppInstance start(String name, String dbHostPort, Map<String, String> extraEnvironment) {
        return start(name, dbHostPort, extraEnvironment, "256m");
    }

    /** As {@link #start(String, String, Map)}, with a heap of at most {@code maxHeap} (a -Xmx value). */
    public static AppInstance start(String name, String dbHostPort, Map<String, String> extraEnvironment,
            String maxHeap) {
        return start(name, dbHostPort, extraEnvironment, maxHeap, ProcessHandle.current().info().command()
                .orElse("java"));
    }

    /** As {@link #start(String, String, Map, String)}, on the JVM whose {@code java} command is given. */
    public static AppInstance start(String name, String dbHostPort, Map<String, String> extraEnvironment,
            String maxHeap, String java) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run ./mvnw verify (integration tests need the package)");
        }
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx" + maxHeap, "-jar", JAR.toString()));
        File log = new File("target", name + ".log");
        builder.redirectErrorStream(true).redirectOutput(log);
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_DATASOURCE_USERNAME", System.getenv().getOrDefault("STOREMAN_DB_USER", "postgres"));
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL",
                "postgresql://" + dbHostPort + "/postgres?search_path=" + schema());
        env.put("QUARKUS_DATASOURCE_JDBC_URL",
                "jdbc:postgresql://" + dbHostPort + "/postgres?currentSchema=" + schema());
        env.put("QUARKUS_FLYWAY_SCHEMAS", schema());
        env.put("QUARKUS_FLYWAY_CREATE_SCHEMAS", "true");
        env.put("STOREMAN_ISSUER", ISSUER);
        env.put("STOREMAN_KEYS_ENCRYPTION_KEY", ENCRYPTION_KEY);
        env.put("STOREMAN_KEYS_PREVIOUS_ENCRYPTION_KEYS", TEST_PROFILE_ENCRYPTION_KEY);
        // The production profile waits 5 s before shutting down (for load balancers); not needed here.
        env.put("_PROD_QUARKUS_SHUTDOWN_DELAY_ENABLED", "false");
        // Every test signs up from 127.0.0.1, and the unit tests before (whose profile lifts the limit) leave their
        // sign-ups counted in the shared schema for an hour: the sign-up limit has tests of its own (T5).
        env.put("STOREMAN_THROTTLE_SIGN_UPS", "1000000");
        env.put("STOREMAN_THROTTLE_SIGN_UP_ATTEMPTS", "1000000");
        env.putAll(extraEnvironment);
        try {
            return new AppInstance(name, port, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** The address of {@code path} (with its leading slash) on this instance. */
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** A REST Assured request to this instance. */
    public RequestSpecification request() {
        return given().port(port);
    }

    /** This instance's answer to a refresh of {@code refreshToken} by {@code app}, with the granted scope. */
    public ValidatableResponse refresh(App app, String refreshToken) {
        return request().formParam("grant_type", "refresh_token")
                .formParam("refresh_token", refreshToken)
                .formParam("client_id", app.clientId())
                .formParam("client_secret", app.clientSecret())
                .post("/oauth/token").then();
    }

    /** The same refresh as {@link #refresh}, as a request for {@link java.net.http.HttpClient} (for races). */
    public HttpRequest refreshRequest(App app, String refreshToken) {
        String form = "grant_type=refresh_token&refresh_token=" + encode(refreshToken) + "&client_id="
                + encode(app.clientId()) + "&client_secret=" + encode(app.clientSecret());
        return HttpRequest.newBuilder(uri("/oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
    }

    /** Waits until the instance answers its readiness check, or fails with the end of its log. */
    public AppInstance awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                if (given().port(port).get("/q/health/ready").statusCode() == 200) {
                    return this;
                }
            } catch (Exception e) {
                // Not listening yet (REST Assured throws the ConnectException unchecked).
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " not ready after " + timeout + ":\n" + logTail());
    }

    /** Waits until the instance exits (one that refuses to start), and answers its exit status. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " still running after " + timeout + ":\n" + logTail());
        }
        return process.exitValue();
    }

    /** Every line the instance has written to its console so far. */
    public List<String> log() throws IOException {
        return Files.readAllLines(log.toPath());
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log.toPath());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
