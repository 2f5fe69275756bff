package io.storeman.application;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.storeman.common.Secrets;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Applications are kept in memory for client authentication; a change made by another instance (here, straight in
 * the database, as another instance's transaction would) must reach this one through the notification.
 */
@QuarkusTest
class ClientCacheTest {

    private static final long WAIT_NANOS = 2_000_000_000L;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @Test
    void secretChangedElsewhereWhenCachedThenOldSecretRefusedWithinMoments() throws Exception {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public");
        assertEquals(200, clientCredentials(app.clientId(), app.clientSecret()), "authenticates, and is now cached");

        execute("update oauth_applications set secret_hash = 'changed elsewhere' where client_id = ?", app.clientId());

        assertTrue(refusedWithin(app, WAIT_NANOS), "the old secret still works after the change");
    }

    @Test
    void applicationDeletedElsewhereWhenCachedThenRefusedWithinMoments() throws Exception {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public");
        assertEquals(200, clientCredentials(app.clientId(), app.clientSecret()));

        execute("delete from oauth_applications where client_id = ?", app.clientId());

        assertTrue(refusedWithin(app, WAIT_NANOS), "a deleted application still authenticates");
    }

    @Test
    void secretDeletedElsewhereWhenCachedThenRefusedWithinMomentsAndTheOtherKeepsWorking() throws Exception {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public");
        String second = given().auth().preemptive().basic(owner.email(), owner.password())
                .contentType(ContentType.JSON).post("/api/v1/oauth/applications/" + app.id() + "/secrets")
                .then().statusCode(201).extract().path("client_secret");
        assertEquals(200, clientCredentials(app.clientId(), app.clientSecret()), "authenticates, and is now cached");

        // What another instance's ApplicationSecrets.delete commits: the row goes, and the application is touched.
        execute("delete from client_secrets where secret_hash = ?", Secrets.sha256(app.clientSecret()));
        execute("update oauth_applications set secret_hash = null, updated_at = now() where client_id = ?",
                app.clientId());

        assertTrue(refusedWithin(app, WAIT_NANOS), "the deleted secret still works after the change");
        assertEquals(200, clientCredentials(app.clientId(), second));
    }

    private boolean refusedWithin(App app, long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        while (System.nanoTime() < deadline) {
            if (clientCredentials(app.clientId(), app.clientSecret()) == 401) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    private static int clientCredentials(String clientId, String secret) {
        return given().formParam("grant_type", "client_credentials")
                .formParam("client_id", clientId).formParam("client_secret", secret)
                .post("/oauth/token").statusCode();
    }

    private void execute(String sql, String parameter) throws Exception {
        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", null);
                PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setString(1, parameter);
            assertEquals(1, statement.executeUpdate());
        }
    }
}
