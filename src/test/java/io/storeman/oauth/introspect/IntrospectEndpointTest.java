package io.storeman.oauth.introspect;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.storeman.common.Secrets;
import io.storeman.oauth.Scopes;
import io.storeman.oauth.token.AccessTokenIssuer;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.Fixtures.Tokens;
import io.storeman.support.OAuthAnswers;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code POST /oauth/introspect} (RFC 7662; docs/security.md N36). */
@QuarkusTest
class IntrospectEndpointTest {

    @Inject
    AccessTokenIssuer accessTokens;

    @Inject
    Pool pool;

    @Test
    void introspectWhenAccessTokenActiveThenItsClaims() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, Fixtures.ALL_SCOPES);
        Tokens tokens = Fixtures.passwordTokens(app, user, "public read_items");

        introspect(app, tokens.accessToken())
                .statusCode(200)
                .header("Cache-Control", "no-store")
                .body("active", equalTo(true))
                .body("scope", equalTo("public read_items"))
                .body("client_id", equalTo(app.clientId()))
                .body("username", equalTo(user.email()))
                .body("sub", equalTo(Long.toString(user.id())))
                .body("token_type", equalTo("Bearer"))
                .body("iss", equalTo("http://storeman.test"))
                .body("aud", equalTo("storeman-api"))
                .body("jti", not(nullValue()))
                .body("exp", not(nullValue()))
                .body("iat", not(nullValue()));
    }

    @Test
    void introspectWhenJsonBodyAndBodyCredentialsThenSameAnswer() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(app, user, null);

        given().contentType(ContentType.JSON)
                .body(Map.of("token", tokens.accessToken(), "client_id", app.clientId(),
                        "client_secret", app.clientSecret()))
                .post("/oauth/introspect")
                .then().statusCode(200)
                .body("active", equalTo(true))
                .body("scope", equalTo("public"));
    }

    @Test
    void introspectWhenRefreshTokenActiveThenItsGrant() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, Fixtures.ALL_SCOPES);
        Tokens tokens = Fixtures.passwordTokens(app, user, "public read_spaces write_spaces");

        introspect(app, tokens.refreshToken())
                .statusCode(200)
                .body("active", equalTo(true))
                .body("scope", equalTo("public read_spaces write_spaces"))
                .body("client_id", equalTo(app.clientId()))
                .body("username", equalTo(user.email()))
                .body("sub", equalTo(Long.toString(user.id())))
                .body("iss", equalTo("http://storeman.test"))
                .body("exp", not(nullValue()))
                .body("iat", not(nullValue()));
    }

    @Test
    void introspectWhenScopeLacksPublicThenNoUsernameForAccessOrRefreshToken() {
        // The e-mail belongs to scope public (GET /api/v1/me): docs/security.md P1.
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, Fixtures.ALL_SCOPES);
        Tokens tokens = Fixtures.passwordTokens(app, user, "read_items write_spaces");

        for (String token : new String[] {tokens.accessToken(), tokens.refreshToken()}) {
            introspect(app, token)
                    .statusCode(200)
                    .body("active", equalTo(true))
                    .body("scope", equalTo("read_items write_spaces"))
                    .body("sub", equalTo(Long.toString(user.id())))
                    .body("$", not(hasKey("username")));
        }
    }

    @Test
    void introspectWhenHintNamesTheOtherTypeThenTheTokenIsStillFound() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(app, user, null);

        introspect(app, tokens.refreshToken(), "access_token").statusCode(200).body("active", equalTo(true));
        introspect(app, tokens.accessToken(), "refresh_token").statusCode(200).body("active", equalTo(true));
    }

    @Test
    void introspectWhenClientCredentialsTokenThenSubjectIsTheClientAndNoUsername() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        String token = Fixtures.clientCredentialsToken(app, null);

        introspect(app, token)
                .statusCode(200)
                .body("active", equalTo(true))
                .body("sub", equalTo(app.clientId()))
                .body("$", not(hasKey("username")));
    }

    @Test
    void introspectWhenAccessTokenExpiredThenInactive() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        long issuedAt = Instant.now().getEpochSecond() - 7200 - 120;
        String expired = accessTokens.sign(UUID.randomUUID().toString(), Long.toString(user.id()), app.clientId(),
                Scopes.DEFAULT, issuedAt, null, 0);

        assertInactive(introspect(app, expired));
    }

    @Test
    void introspectWhenRefreshTokenExpiredThenInactive() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(app, user, null);
        pool.preparedQuery("update refresh_tokens set expires_at = now() - interval '1 second' where token_hash = $1")
                .execute(Tuple.of(Secrets.sha256(tokens.refreshToken()))).await().indefinitely();

        assertInactive(introspect(app, tokens.refreshToken()));
    }

    @Test
    void introspectWhenAccessTokenRevokedThenInactiveWhileItsRefreshTokenStaysActive() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(app, user, null);
        revoke(app, tokens.accessToken());

        assertInactive(introspect(app, tokens.accessToken()));
        introspect(app, tokens.refreshToken()).statusCode(200).body("active", equalTo(true));
    }

    @Test
    void introspectWhenRefreshTokenRevokedThenItAndItsAccessTokenInactive() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(app, user, null);
        revoke(app, tokens.refreshToken());

        assertInactive(introspect(app, tokens.refreshToken()));
        assertInactive(introspect(app, tokens.accessToken()));
    }

    @Test
    void introspectWhenRefreshTokenRotatedThenOldPairInactiveAndNewPairActive() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(app, user, null);
        var rotated = Fixtures.refresh(app, tokens.refreshToken(), null).statusCode(200).extract();

        assertInactive(introspect(app, tokens.refreshToken()));
        assertInactive(introspect(app, tokens.accessToken()));
        introspect(app, rotated.path("refresh_token")).statusCode(200).body("active", equalTo(true));
        introspect(app, rotated.path("access_token")).statusCode(200).body("active", equalTo(true));
    }

    @Test
    void introspectWhenTokensBelongToAnotherClientThenInactive() {
        Account user = Fixtures.newUser();
        App mine = Fixtures.newApp(user, "public");
        App theirs = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(theirs, user, null);

        assertInactive(introspect(mine, tokens.accessToken()));
        assertInactive(introspect(mine, tokens.refreshToken()));
        introspect(theirs, tokens.accessToken()).statusCode(200).body("active", equalTo(true));
    }

    @Test
    void introspectWhenTokenIsGarbageThenInactive() {
        App app = Fixtures.newApp(Fixtures.newUser(), "public");

        assertInactive(introspect(app, "garbage"));
        assertInactive(introspect(app, "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0."));
    }

    @Test
    void introspectWhenTokenMissingThenInvalidRequest() {
        App app = Fixtures.newApp(Fixtures.newUser(), "public");

        given().auth().preemptive().basic(app.clientId(), app.clientSecret())
                .formParam("token_type_hint", "access_token")
                .post("/oauth/introspect")
                .then().spec(OAuthAnswers.error(400, "invalid_request"));
    }

    @Test
    void introspectWhenClientSecretWrongThenInvalidClientWithBasicChallenge() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(app, user, null);

        given().auth().preemptive().basic(app.clientId(), "wrong")
                .formParam("token", tokens.accessToken())
                .post("/oauth/introspect")
                .then().spec(OAuthAnswers.invalidClientWithBasicChallenge());
    }

    @Test
    void introspectWhenNoClientAuthenticationThenInvalidClient() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(app, user, null);

        given().formParam("token", tokens.accessToken())
                .post("/oauth/introspect")
                .then().spec(OAuthAnswers.error(401, "invalid_client"));
    }

    @Test
    void introspectWhenCallerIsPublicClientThenInvalidClient() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newPublicApp(user, "public");

        given().formParam("client_id", app.clientId())
                .formParam("token", "anything")
                .post("/oauth/introspect")
                .then().spec(OAuthAnswers.error(401, "invalid_client"));
    }

    @Test
    void introspectWhenBodyIsPlainTextThenInvalidRequest() {
        App app = Fixtures.newApp(Fixtures.newUser(), "public");

        given().auth().preemptive().basic(app.clientId(), app.clientSecret())
                .contentType(ContentType.TEXT)
                .body("token=abc")
                .post("/oauth/introspect")
                .then().spec(OAuthAnswers.error(400, "invalid_request"));
    }

    private static ValidatableResponse introspect(App app, String token) {
        return given().auth().preemptive().basic(app.clientId(), app.clientSecret())
                .formParam("token", token)
                .post("/oauth/introspect").then();
    }

    private static ValidatableResponse introspect(App app, String token, String hint) {
        return given().auth().preemptive().basic(app.clientId(), app.clientSecret())
                .formParam("token", token)
                .formParam("token_type_hint", hint)
                .post("/oauth/introspect").then();
    }

    private static void revoke(App app, String token) {
        given().auth().preemptive().basic(app.clientId(), app.clientSecret())
                .formParam("token", token)
                .post("/oauth/revoke").then().statusCode(200);
    }

    /** RFC 7662 §2.2: an inactive token gets {"active": false} and nothing more. */
    private static void assertInactive(ValidatableResponse response) {
        response.statusCode(200)
                .header("Cache-Control", "no-store")
                .body("active", equalTo(false))
                .body("size()", equalTo(1));
    }
}
