package io.storeman.application;

import static io.restassured.RestAssured.given;
import static io.storeman.support.Fixtures.me;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.Fixtures.Tokens;
import io.storeman.support.Pages;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** GET /api/v1/authorized_applications and DELETE /api/v1/authorized_applications/{client_id}. */
@QuarkusTest
class AuthorizedApplicationsApiTest {

    @Inject
    Pool pool;

    private static RequestSpecification as(Account account) {
        return given().auth().preemptive().basic(account.email(), account.password());
    }

    @Test
    void listWhenNoTokensThenEmpty() {
        Account user = Fixtures.newUser();
        Fixtures.newApp(user, "public");
        as(user).get("/api/v1/authorized_applications").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void listWhenTokensHeldThenApplicationWithTheUnionOfItsScopes() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, Fixtures.ALL_SCOPES);
        Fixtures.passwordTokens(app, user, "public read_items");
        Fixtures.passwordTokens(app, user, "write_spaces");
        as(user).get("/api/v1/authorized_applications").then().statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].client_id", equalTo(app.clientId()))
                .body("[0].name", equalTo("Test app"))
                .body("[0].scopes", equalTo("public read_items write_spaces"))
                .body("[0].last_used_at", notNullValue());
    }

    @Test
    void listWhenAnotherUsersTokensThenNotShown() {
        Account user = Fixtures.newUser();
        Account other = Fixtures.newUser();
        Fixtures.passwordTokens(Fixtures.newApp(other, "public"), other, null);
        as(user).get("/api/v1/authorized_applications").then().statusCode(200).body("size()", equalTo(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab%00cd", "ab%C2%85cd"})
    void revokeWhenClientIdHoldsControlCharacterThen404(String clientId) {
        as(Fixtures.newUser()).urlEncodingEnabled(false).delete("/api/v1/authorized_applications/" + clientId)
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void listWhenNotAuthenticatedThen401() {
        given().get("/api/v1/authorized_applications").then().statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void revokeWhenHeldThen204AndAccessAndRefreshTokensRefusedAtOnce() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(app, user, null);
        me(tokens.accessToken()).statusCode(200);

        as(user).delete("/api/v1/authorized_applications/" + app.clientId()).then().statusCode(204);

        me(tokens.accessToken()).statusCode(401);
        Fixtures.refresh(app, tokens.refreshToken(), null).statusCode(400).body("error", equalTo("invalid_grant"));
        as(user).get("/api/v1/authorized_applications").then().body("size()", equalTo(0));
    }

    @Test
    void revokeWhenOneApplicationThenOtherApplicationsKeepTheirTokens() {
        Account user = Fixtures.newUser();
        App revoked = Fixtures.newApp(user, "public");
        App kept = Fixtures.newApp(user, "public");
        Tokens revokedTokens = Fixtures.passwordTokens(revoked, user, null);
        Tokens keptTokens = Fixtures.passwordTokens(kept, user, null);

        as(user).delete("/api/v1/authorized_applications/" + revoked.clientId()).then().statusCode(204);

        me(revokedTokens.accessToken()).statusCode(401);
        me(keptTokens.accessToken()).statusCode(200);
        as(user).get("/api/v1/authorized_applications").then()
                .body("size()", equalTo(1)).body("[0].client_id", equalTo(kept.clientId()));
    }

    @Test
    void revokeWhenApplicationStillRegisteredThenItCanSignInAgain() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Fixtures.passwordTokens(app, user, null);
        as(user).delete("/api/v1/authorized_applications/" + app.clientId()).then().statusCode(204);
        me(Fixtures.passwordTokens(app, user, null).accessToken()).statusCode(200);
    }

    @Test
    void revokeWhenApplicationHoldsNoTokenThen404() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        as(user).delete("/api/v1/authorized_applications/" + app.clientId()).then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void revokeWhenUnknownClientThen404() {
        as(Fixtures.newUser()).delete("/api/v1/authorized_applications/no-such-client").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void revokeWhenTokensBelongToAnotherUserThen404AndTheyKeepWorking() {
        Account other = Fixtures.newUser();
        App app = Fixtures.newApp(other, "public");
        Tokens tokens = Fixtures.passwordTokens(app, other, null);
        as(Fixtures.newUser()).delete("/api/v1/authorized_applications/" + app.clientId()).then().statusCode(404);
        me(tokens.accessToken()).statusCode(200);
    }

    @Test
    void listWhenConsentGivenButNoTokenThenListedAndRevokeWithdrawsTheConsent() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(Fixtures.newUser(), "public read_items");
        pool.preparedQuery("insert into oauth_consents (user_id, application_id, scope) values ($1, $2, $3)")
                .execute(Tuple.of(user.id(), app.id(), "read_items")).await().atMost(Duration.ofSeconds(10));
        as(user).get("/api/v1/authorized_applications").then().statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].client_id", equalTo(app.clientId()))
                .body("[0].scopes", equalTo("read_items"));

        as(user).delete("/api/v1/authorized_applications/" + app.clientId()).then().statusCode(204);

        long left = pool.preparedQuery("select count(*) from oauth_consents where user_id = $1")
                .execute(Tuple.of(user.id())).map(rows -> rows.iterator().next().getLong(0))
                .await().atMost(Duration.ofSeconds(10));
        assertEquals(0, left);
        as(user).delete("/api/v1/authorized_applications/" + app.clientId()).then().statusCode(404);
    }

    @Test
    void revokeWhenNotAuthenticatedThen401() {
        given().delete("/api/v1/authorized_applications/whatever").then().statusCode(401);
    }

    @Test
    void revokeWhenSessionCookieWithoutCsrfHeaderThen403AndTokensKept() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(app, user, null);
        Pages.Browser browser = Pages.signIn(user);
        browser.request().delete("/api/v1/authorized_applications/" + app.clientId()).then().statusCode(403);
        me(tokens.accessToken()).statusCode(200);
        browser.request().header("X-CSRF-Token", browser.csrf())
                .delete("/api/v1/authorized_applications/" + app.clientId()).then().statusCode(204);
        me(tokens.accessToken()).statusCode(401);
    }
}
