package io.storeman.oauth.revoke;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.Fixtures.Tokens;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The revocation list grows with the families and accounts revoked, never with the tokens (docs/security.md R1): a
 * client that refreshes or revokes at full speed adds one entry, however many tokens it goes through, and every token
 * it retired stays refused.
 */
@QuarkusTest
class RevocationListBoundTest {

    private static final int ROUNDS = 40;

    @Inject
    RevocationList list;

    @Inject
    Pool pool;

    private static int meStatus(String accessToken) {
        return given().auth().oauth2(accessToken).get("/api/v1/me").then().extract().statusCode();
    }

    /** Live rows of one kind in the database. */
    private long rows(String kind) {
        return pool.preparedQuery("select count(*) from revocations where kind = $1 and expires_at > now()")
                .execute(Tuple.of(kind)).map(rows -> rows.iterator().next().getLong(0))
                .await().atMost(Duration.ofSeconds(10));
    }

    /**
     * The entries this instance gained since {@code before}: at most, since a poll may meanwhile drop entries other
     * tests left to expire.
     */
    private void assertGrewBy(int expected, int before, String message) {
        int grown = list.size() - before;
        assertTrue(grown <= expected, message + ": grew by " + grown);
    }

    @Test
    void refreshWhenRepeatedManyTimesThenOneEntryAndEveryRetiredAccessTokenRefused() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens first = Fixtures.passwordTokens(app, user, null);
        int sizeBefore = list.size();
        long rowsBefore = rows("family");

        List<String> retired = new ArrayList<>();
        String accessToken = first.accessToken();
        String refreshToken = first.refreshToken();
        for (int i = 0; i < ROUNDS; i++) {
            var json = Fixtures.refresh(app, refreshToken, null).statusCode(200).extract().jsonPath();
            retired.add(accessToken);
            accessToken = json.getString("access_token");
            refreshToken = json.getString("refresh_token");
        }

        assertGrewBy(1, sizeBefore, ROUNDS + " rotations of one family: one entry on this instance");
        assertEquals(rowsBefore + 1, rows("family"), "and one row in the database");
        for (String token : retired) {
            assertEquals(401, meStatus(token), "a retired access token stays refused");
        }
        assertEquals(200, meStatus(accessToken), "the newest one works");
    }

    @Test
    void revokeWhenAccessTokensRevokedOneByOneThenOneEntryPerFamilyOrClient() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(app, user, null);
        int sizeBefore = list.size();
        long familiesBefore = rows("family");
        long grantsBefore = rows("grant");

        String refreshToken = tokens.refreshToken();
        for (int i = 0; i < ROUNDS / 4; i++) {
            var json = Fixtures.refresh(app, refreshToken, null).statusCode(200).extract().jsonPath();
            revoke(app, json.getString("access_token"));
            assertEquals(401, meStatus(json.getString("access_token")), "revoked");
            refreshToken = json.getString("refresh_token");
        }
        List<String> clientTokens = new ArrayList<>();
        for (int i = 0; i < ROUNDS / 4; i++) {
            String token = Fixtures.clientCredentialsToken(app, null);
            clientTokens.add(token);
            revoke(app, token);
        }

        assertGrewBy(2, sizeBefore, "one entry for the family, one for the client's own tokens");
        assertEquals(familiesBefore + 1, rows("family"));
        assertEquals(grantsBefore + 1, rows("grant"));
        clientTokens.forEach(token -> assertEquals(401, meStatus(token)));
        var json = Fixtures.refresh(app, refreshToken, null).statusCode(200).extract().jsonPath();
        assertEquals(200, meStatus(json.getString("access_token")), "D4: the refresh token kept working");
    }

    @Test
    void passwordChangeWhenTheUserHoldsManyFamiliesThenOneEntryAndAllRefused() throws InterruptedException {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        List<Tokens> families = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            families.add(Fixtures.passwordTokens(app, user, null));
        }
        // Tokens issued within the revocation's own second are revoked by their family entries (see
        // Revocations.revokeUpToNow); these families are older, so the cut-off alone covers them.
        long issued = System.currentTimeMillis() / 1000;
        while (System.currentTimeMillis() / 1000 <= issued) {
            Thread.sleep(20);
        }
        int sizeBefore = list.size();

        given().auth().preemptive().basic(user.email(), user.password()).contentType("application/json")
                .body("{\"current_password\":\"" + user.password() + "\",\"new_password\":\"a quite new password 7\"}")
                .put("/api/v1/me/password").then().statusCode(204);

        assertGrewBy(1, sizeBefore, "one cut-off for the user");
        for (Tokens tokens : families) {
            assertEquals(401, meStatus(tokens.accessToken()));
            Fixtures.refresh(app, tokens.refreshToken(), null).statusCode(400);
        }
        long userRows = pool.preparedQuery("select count(*) from revocations where kind = 'user' and value = $1")
                .execute(Tuple.of(Long.toString(user.id()))).map(rows -> rows.iterator().next().getLong(0))
                .await().atMost(Duration.ofSeconds(10));
        assertEquals(1, userRows, "one row for the user");
    }

    private static void revoke(App app, String token) {
        given().formParam("token", token).formParam("client_id", app.clientId())
                .formParam("client_secret", app.clientSecret())
                .post("/oauth/revoke").then().statusCode(200);
    }

    @Test
    void passwordChangeWhenATokenWasIssuedInTheSameSecondThenItIsRefusedAndANewSignInWorks() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens before = Fixtures.passwordTokens(app, user, null);
        String newPassword = "another new password 8";

        given().auth().preemptive().basic(user.email(), user.password()).contentType("application/json")
                .body("{\"current_password\":\"" + user.password() + "\",\"new_password\":\"" + newPassword + "\"}")
                .put("/api/v1/me/password").then().statusCode(204);
        Tokens after = Fixtures.passwordTokens(app, new Account(user.id(), user.email(), newPassword), null);

        assertEquals(401, meStatus(before.accessToken()), "issued before the change, maybe in the same second");
        assertEquals(200, meStatus(after.accessToken()), "issued after it, maybe in the same second");
    }
}
