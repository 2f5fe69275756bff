package io.storeman.oauth.token;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * docs/security.md D5 and D9: a first-party application (owner listed in storeman.oauth.first-party-owners) signs in
 * anyone, and only an account that existed before its e-mail was listed can own one: signing up with a listed
 * e-mail is refused like signing up with a taken one. The test profile lists three addresses (application.properties):
 * the first gets an account here, the others never do.
 */
@QuarkusTest
class FirstPartyPasswordGrantTest {

    private static final String OWNER = "first-party-owner@storeman.test";

    @Inject
    Pool pool;

    /**
     * The listed owner, made as the operator makes one: the account exists first, then its e-mail is listed. The
     * listing is fixed while the tests run, so the account signs up under another address and takes the listed
     * one in the database, unless an earlier test did.
     */
    private Account firstPartyOwner() {
        Account account = Fixtures.newUser();
        pool.preparedQuery("update users set email = $1 where id = $2"
                        + " and not exists (select 1 from users where email = $1)")
                .execute(Tuple.of(OWNER, account.id())).await().indefinitely();
        return new Account(0, OWNER, Fixtures.PASSWORD);
    }

    private static Response signUp(String email) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", "a stranger's passphrase"))
                .post("/api/v1/users");
    }

    @Test
    void passwordGrantForAnyUserThroughFirstPartyAppThenTokens() {
        App app = Fixtures.newApp(firstPartyOwner(), "public");
        Account user = Fixtures.newUser();
        String token = Fixtures.passwordTokens(app, user, null).accessToken();
        given().auth().oauth2(token).get("/api/v1/me")
                .then().statusCode(200).body("email", equalTo(user.email()));
    }

    @Test
    void passwordGrantWhenUnknownUserThroughFirstPartyAppThenInvalidGrant() {
        App app = Fixtures.newApp(firstPartyOwner(), "public");
        given().formParam("grant_type", "password")
                .formParam("username", "nobody-at-all@example.com")
                .formParam("password", "whatever it is")
                .formParam("client_id", app.clientId())
                .formParam("client_secret", app.clientSecret())
                .post("/oauth/token")
                .then().statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"listed-unclaimed@storeman.test", "LISTED-UNCLAIMED@storeman.test",
        "\u00a0listed-unclaimed@storeman.test\u3000", "\uff4cisted-unclaimed\uff20storeman.test"})
    void signUpWhenEmailListedButWithoutAccountThenTheAnswerOfATakenEmailAndNoAccount(String listed) {
        Response taken = signUp(Fixtures.newUser().email());
        Response refused = signUp(listed);

        assertEquals(409, refused.statusCode(), refused.asString());
        assertEquals(taken.contentType(), refused.contentType());
        assertEquals(taken.asString(), refused.asString(), "nothing tells a listed e-mail from a taken one");
        // No account: the stranger can neither manage applications nor sign in with it.
        given().auth().preemptive().basic("listed-unclaimed@storeman.test", "a stranger's passphrase").get("/api/v1/oauth/applications")
                .then().statusCode(401);
    }
}
