package io.storeman.ops;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.storeman.support.AppInstance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A user's first start says nothing it need not, and says it to machines: the packaged server, on an empty schema of
 * its own and on the production JVM when it is installed (Temurin 25), writes one JSON object per console line, logs
 * no warning or error from start to stop, and the JVM prints none either (Java 24 and later warn when JNA or
 * Amazon Corretto Crypto Provider load native code without native access).
 */
class QuietStartIT {

    private static final Path TEMURIN_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
    private static final ObjectMapper JSON = new ObjectMapper();

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
            try (AppInstance instance = AppInstance.start("it-quiet-start", AppInstance.LOCAL_DATABASE, ownSchema,
                    "256m", java)) {
                instance.awaitReady(AppInstance.START_TIMEOUT);
                // A sign-up hashes a password: libsodium loads through JNA, where it is installed.
                given().port(instance.port()).contentType("application/json")
                        .body("{\"email\":\"quiet@storeman.test\",\"password\":\"a quiet first start\"}")
                        .post("/api/v1/users").then().statusCode(201);
            }
        } finally {
            dropSchema(schema);
        }
        List<String> lines = Files.readAllLines(Path.of("target", "it-quiet-start.log"));
        List<String> noise = lines.stream()
                .filter(line -> json(line).map(QuietStartIT::isWarningOrError).orElse(true))
                .toList();
        assertEquals(List.of(), noise, "warnings and errors of a first start on " + java
                + ", and lines that are not our JSON (the JVM's own)");
        assertTrue(lines.stream().map(QuietStartIT::json).flatMap(Optional::stream)
                        .anyMatch(line -> line.path("message").asText().contains("started in")),
                "the start itself is logged as JSON: " + lines);
    }

    /** A console line as the JSON object the production profile writes; empty when it is not one. */
    private static Optional<JsonNode> json(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            return node != null && node.isObject() && node.hasNonNull("level") && node.hasNonNull("message")
                    ? Optional.of(node) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static boolean isWarningOrError(JsonNode line) {
        return List.of("WARN", "WARNING", "ERROR", "SEVERE", "FATAL").contains(line.path("level").asText());
    }

    private static void dropSchema(String schema) throws SQLException {
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", null);
                Statement statement = db.createStatement()) {
            statement.execute("drop schema if exists " + schema + " cascade");
        }
    }
}
