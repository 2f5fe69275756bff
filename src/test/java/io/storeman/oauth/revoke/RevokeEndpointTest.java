package io.storeman.oauth.revoke;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.storeman.oauth.Scopes;
import io.storeman.oauth.keys.SigningKeys;
import io.storeman.oauth.token.AccessToken;
import io.storeman.oauth.token.AccessTokenIssuer;
import io.storeman.oauth.token.AccessTokenVerifier;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.Fixtures.Tokens;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.jose4j.jwt.JwtClaims;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RevokeEndpointTest {

    @Inject
    SigningKeys keys;

    @Inject
    Pool pool;

    private static ValidatableResponse revoke(App app, String token, String hint) {
        var request = given().formParam("client_id", app.clientId())
                .formParam("client_secret", app.clientSecret());
        if (token != null) {
            request.formParam("token", token);
        }
        if (hint != null) {
            request.formParam("token_type_hint", hint);
        }
        return request.post("/oauth/revoke").then();
    }

    private static int meStatus(String accessToken) {
        return given().auth().oauth2(accessToken).get("/api/v1/me").statusCode();
    }

    private static int refreshStatus(App app, String refreshToken) {
        return Fixtures.refresh(app, refreshToken, null).extract().statusCode();
    }

    /**
     * A token past its {@code exp} but within the verifier's clock skew is still accepted, so its revocation must
     * outlive {@code exp} by that skew: an entry dropped at {@code exp} let it work again for up to 30 s.
     */
    @Test
    void revokeAccessTokenWhenExpiredWithinClockSkewThenRefusedAndTheEntryOutlivesTheSkew()
            throws InterruptedException {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        // Issued after the cut-off that V9__revocation_families.sql sets when the test schema is migrated.
        long migrated = pool.query("select bound from revocations where kind = 'all'").execute()
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong("bound");
        while (Instant.now().getEpochSecond() < migrated + 4) {
            Thread.sleep(250);
        }
        long expiresAt = Instant.now().getEpochSecond() - 2;
        UUID family = UUID.randomUUID();
        JwtClaims claims = AccessTokenIssuer.claims("http://storeman.test", "storeman-api",
                UUID.randomUUID().toString(), Long.toString(user.id()), app.clientId(), Scopes.parseStored("public"), expiresAt - 2, expiresAt);
        claims.setClaim(AccessToken.FAMILY_CLAIM, family.toString());
        claims.setClaim(AccessToken.GENERATION_CLAIM, 0);
        String token = AccessTokenIssuer.sign(keys.active(), claims);
        assertEquals(200, meStatus(token), "accepted within the clock skew");

        revoke(app, token, "access_token").statusCode(200);

        assertEquals(401, meStatus(token));
        long entryExpires = pool.preparedQuery("select floor(extract(epoch from expires_at))::bigint as expires"
                + " from revocations where kind = 'family' and value = $1").execute(Tuple.of(family.toString()))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong("expires");
        assertTrue(entryExpires >= expiresAt + AccessTokenVerifier.CLOCK_SKEW_SECONDS,
                "entry expires " + entryExpires + ", token " + expiresAt);
    }

    @Test
    void revokeAccessTokenThenApiRefusesItAndRefreshTokenStillWorks() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(app, user, null);
        assertEquals(200, meStatus(tokens.accessToken()));

        revoke(app, tokens.accessToken(), "access_token").statusCode(200)
                .header("Cache-Control", "no-store")
                .body("$", anEmptyMap());

        assertEquals(401, meStatus(tokens.accessToken()));
        assertEquals(200, refreshStatus(app, tokens.refreshToken()));
    }

    @Test
    void revokeRefreshTokenThenItAndItsAccessTokenStop() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(app, user, null);

        revoke(app, tokens.refreshToken(), "refresh_token").statusCode(200).body("$", anEmptyMap());

        assertEquals(400, refreshStatus(app, tokens.refreshToken()));
        assertEquals(401, meStatus(tokens.accessToken()));
    }

    @Test
    void revokeWithWrongHintThenTokenStillFoundAndRevoked() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(app, user, null);

        revoke(app, tokens.accessToken(), "refresh_token").statusCode(200);
        revoke(app, tokens.refreshToken(), "access_token").statusCode(200);

        assertEquals(401, meStatus(tokens.accessToken()));
        assertEquals(400, refreshStatus(app, tokens.refreshToken()));
    }

    @Test
    void revokeUnknownTokenThen200() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        revoke(app, "no-such-token", null).statusCode(200).body("$", anEmptyMap());
    }

    @Test
    void revokeWithoutTokenThen200() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        revoke(app, null, null).statusCode(200).body("$", anEmptyMap());
    }

    @Test
    void revokeWithJsonBodyLikeHttpieThen200AndRevoked() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(app, user, null);
        given().contentType(ContentType.JSON)
                .body(Map.of("token", tokens.accessToken(), "client_id", app.clientId(),
                        "client_secret", app.clientSecret()))
                .post("/oauth/revoke")
                .then().statusCode(200).body("$", anEmptyMap());
        assertEquals(401, meStatus(tokens.accessToken()));
    }

    @Test
    void revokeTokenOfAnotherClientThen200AndNothingChanges() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        App other = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(app, user, null);

        revoke(other, tokens.accessToken(), null).statusCode(200).body("$", anEmptyMap());
        revoke(other, tokens.refreshToken(), null).statusCode(200).body("$", anEmptyMap());

        assertEquals(200, meStatus(tokens.accessToken()));
        assertEquals(200, refreshStatus(app, tokens.refreshToken()));
    }

    @Test
    void revokeAlreadyRevokedTokenThen200() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(app, user, null);
        revoke(app, tokens.refreshToken(), null).statusCode(200);
        revoke(app, tokens.refreshToken(), null).statusCode(200).body("$", anEmptyMap());
    }

    @Test
    void revokeWithWrongClientSecretThen401InvalidClient() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(app, user, null);
        given().formParam("client_id", app.clientId())
                .formParam("client_secret", "wrong")
                .formParam("token", tokens.accessToken())
                .post("/oauth/revoke")
                .then().statusCode(401).body("error", equalTo("invalid_client"));
        assertEquals(200, meStatus(tokens.accessToken()));
    }
}
