package io.storeman.application;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.storeman.common.Secrets;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Applications are kept in memory for client authentication; a change made by another instance (here, straight in
 * the database, as another instance's transaction would) must reach this one through the notification; a change
 * made here, at once. That includes the OpenID Connect registration fields the ID tokens and logout read from it
 * (docs/security.md O10).
 */
@QuarkusTest
class ClientCacheTest {

    private static final long WAIT_NANOS = 2_000_000_000L;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @Inject
    ClientCache clients;

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

    @Test
    void openIdFieldsChangedThroughTheApiWhenCachedThenSeenAtOnce() {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "openid public");
        OAuthApplication cached = cached(app.clientId());
        assertEquals("RS256", cached.idTokenSignedResponseAlg);
        assertEquals("public", cached.subjectType);
        assertArrayEquals(new String[0], cached.postLogoutRedirectUris);

        given().auth().preemptive().basic(owner.email(), owner.password()).contentType(ContentType.JSON)
                .body(Map.of("redirect_uri", "https://rp.example/cb", "subject_type", "pairwise",
                        "id_token_signed_response_alg", "ES256",
                        "post_logout_redirect_uris", List.of("https://rp.example/bye")))
                .patch("/api/v1/oauth/applications/" + app.id())
                .then().statusCode(200);

        OAuthApplication changed = cached(app.clientId());
        assertEquals("ES256", changed.idTokenSignedResponseAlg);
        assertEquals("pairwise", changed.subjectType);
        assertEquals("https://rp.example/cb", changed.redirectUri);
        assertArrayEquals(new String[] {"https://rp.example/bye"}, changed.postLogoutRedirectUris);
    }

    @Test
    void openIdFieldsChangedElsewhereWhenCachedThenSeenWithinMoments() throws Exception {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "openid public");
        assertEquals("RS256", cached(app.clientId()).idTokenSignedResponseAlg, "now cached");

        // What another instance's ApplicationService.update commits.
        execute("update oauth_applications set id_token_signed_response_alg = 'ES256',"
                + " post_logout_redirect_uris = 'https://rp.example/bye', updated_at = now() where client_id = ?",
                app.clientId());

        long deadline = System.nanoTime() + WAIT_NANOS;
        OAuthApplication seen = cached(app.clientId());
        while (!"ES256".equals(seen.idTokenSignedResponseAlg) && System.nanoTime() < deadline) {
            Thread.sleep(10);
            seen = cached(app.clientId());
        }
        assertEquals("ES256", seen.idTokenSignedResponseAlg, "the change did not reach the cache");
        assertArrayEquals(new String[] {"https://rp.example/bye"}, seen.postLogoutRedirectUris);
    }

    private OAuthApplication cached(String clientId) {
        return clients.find(clientId).await().atMost(Duration.ofSeconds(5)).application();
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
