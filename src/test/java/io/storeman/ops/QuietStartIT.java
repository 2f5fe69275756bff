package io.storeman.ops;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.storeman.support.AppInstance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A user's first start says nothing it need not: the packaged server, on an empty schema of its own and on the
 * production JVM when it is installed (Temurin 25), logs no warning or error from start to stop, and the JVM prints
 * none either (Java 24 and later warn when JNA or Conscrypt load native code without native access).
 */
class QuietStartIT {

    private static final Path TEMURIN_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
    /** Our log lines at WARN or ERROR, and the JVM's own warnings and errors on the console. */
    private static final Pattern NOISE = Pattern.compile(" (WARN|ERROR) +\\[|^WARNING: |^ERROR: |\\[warning\\]");

    @Test
    void firstStartWhenSchemaIsEmptyThenNoWarningFromStartToStop() throws Exception {
        String schema = AppInstance.schema() + "_quiet";
        dropSchema(schema);
        String java = Files.isExecutable(TEMURIN_25) ? TEMURIN_25.toString()
                : ProcessHandle.current().info().command().orElse("java");
        Map<String, String> ownSchema = Map.of(
                "QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://127.0.0.1:5432/postgres?search_path=" + schema,
                "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/postgres?currentSchema=" + schema,
                "QUARKUS_FLYWAY_SCHEMAS", schema);
        try {
            try (AppInstance instance = AppInstance.start("it-quiet-start", "127.0.0.1:5432", ownSchema, "256m", java)) {
                instance.awaitReady(Duration.ofSeconds(90));
                // A sign-up hashes a password: libsodium loads through JNA, where it is installed.
                given().port(instance.port()).contentType("application/json")
                        .body("{\"email\":\"quiet@storeman.test\",\"password\":\"a quiet first start\"}")
                        .post("/api/v1/users").then().statusCode(201);
            }
        } finally {
            dropSchema(schema);
        }
        List<String> noise = Files.readAllLines(Path.of("target", "it-quiet-start.log")).stream()
                .filter(line -> NOISE.matcher(line).find())
                .toList();
        assertEquals(List.of(), noise, "warnings and errors of a first start on " + java);
    }

    private static void dropSchema(String schema) throws SQLException {
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", null);
                Statement statement = db.createStatement()) {
            statement.execute("drop schema if exists " + schema + " cascade");
        }
    }
}
