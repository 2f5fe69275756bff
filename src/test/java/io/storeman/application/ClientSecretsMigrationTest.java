package io.storeman.application;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.storeman.common.Secrets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code V11__client_secrets.sql} on a database of the previous version: every application's secret moves into
 * {@code client_secrets} unchanged, so every client keeps authenticating across the upgrade, and public applications
 * get none. Runs the real migrations in a schema of its own.
 */
class ClientSecretsMigrationTest {

    private static final String HOST = System.getenv().getOrDefault("STOREMAN_DB_HOST", "127.0.0.1");
    private static final String SCHEMA = System.getenv().getOrDefault("STOREMAN_TEST_SCHEMA", "storeman_test")
            + "_v11";
    private static final String URL = "jdbc:postgresql://" + HOST + ":5432/postgres";
    private static final String USER = System.getenv().getOrDefault("STOREMAN_DB_USER", "postgres");

    @BeforeEach
    @AfterEach
    void dropSchema() throws SQLException {
        try (Connection db = DriverManager.getConnection(URL, USER, null); Statement statement = db.createStatement()) {
            statement.execute("drop schema if exists " + SCHEMA + " cascade");
        }
    }

    private static Flyway flyway(String target) {
        return Flyway.configure()
                .dataSource(URL + "?currentSchema=" + SCHEMA, USER, null)
                .schemas(SCHEMA)
                .createSchemas(true)
                .locations("classpath:db/migration")
                .target(target)
                .load();
    }

    @Test
    void migrationWhenApplicationsHaveSecretsThenEachSecretMovesUnchangedAndPublicOnesGetNone() throws Exception {
        flyway("10").migrate();
        String secret = Secrets.newToken();
        try (Connection db = connection()) {
            execute(db, "insert into users (email, password_hash) values ('owner@example.com', 'x')");
            execute(db, "insert into oauth_applications (owner_id, name, client_id, secret_hash, scopes,"
                    + " confidential, updated_at) select id, 'Confidential', 'confidential-client', '"
                    + Secrets.sha256(secret) + "', 'public', true, '2024-05-01T10:00:00Z' from users");
            execute(db, "insert into oauth_applications (owner_id, name, client_id, scopes, confidential,"
                    + " redirect_uri) select id, 'Public', 'public-client', 'public', false,"
                    + " 'https://app.example/cb' from users");
        }

        flyway("latest").migrate();

        try (Connection db = connection()) {
            // The query the client cache authenticates with (ClientCache.load), for both clients.
            assertEquals(List.of(Secrets.sha256(secret)), secretHashes(db, "confidential-client"));
            assertEquals(List.of(), secretHashes(db, "public-client"));
            assertEquals("2024-05-01 10:00:00+00", single(db, "select to_char(s.created_at at time zone 'UTC',"
                    + " 'YYYY-MM-DD HH24:MI:SS') || '+00' from client_secrets s"));
            // An instance of the previous version regenerates during the roll: its one secret replaces all.
            String regenerated = Secrets.sha256(Secrets.newToken());
            execute(db, "insert into client_secrets (application_id, secret_hash) select id, 'another'"
                    + " from oauth_applications where client_id = 'confidential-client'");
            execute(db, "update oauth_applications set secret_hash = '" + regenerated
                    + "' where client_id = 'confidential-client'");
            assertEquals(List.of(regenerated), secretHashes(db, "confidential-client"));
            // This version's own writes (a null, or the same value written back) leave the secrets alone.
            execute(db, "update oauth_applications set name = 'Renamed', secret_hash = secret_hash");
            execute(db, "update oauth_applications set secret_hash = null");
            assertEquals(List.of(regenerated), secretHashes(db, "confidential-client"));
        }
    }

    private static Connection connection() throws SQLException {
        return DriverManager.getConnection(URL + "?currentSchema=" + SCHEMA, USER, null);
    }

    private static void execute(Connection db, String sql) throws SQLException {
        try (Statement statement = db.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String single(Connection db, String sql) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static List<String> secretHashes(Connection db, String clientId) throws SQLException {
        try (PreparedStatement query = db.prepareStatement("select s.secret_hash from oauth_applications a"
                + " left join client_secrets s on s.application_id = a.id where a.client_id = ? order by s.id")) {
            query.setString(1, clientId);
            List<String> hashes = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    if (rows.getString(1) != null) {
                        hashes.add(rows.getString(1));
                    }
                }
            }
            return hashes;
        }
    }
}
