package io.storeman.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.storeman.application.OAuthApplication;
import io.storeman.common.StoremanConfig;
import io.storeman.oauth.keys.SigningKey;
import io.storeman.oauth.keys.SigningKeys;
import io.storeman.oauth.token.Subjects;
import io.storeman.support.CodeFlow;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Pages;
import io.storeman.support.Pages.Browser;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.Test;

/**
 * {@code GET/POST /oauth/logout}, the end-session endpoint (OpenID Connect RP-Initiated Logout 1.0, docs/security.md
 * O9), over HTTP as a browser drives it. Until the server issues ID tokens, the hints are signed here as the design
 * says ID tokens are: {@code typ JWT}, our key and issuer, {@code aud} the client.
 */
@QuarkusTest
class EndSessionPageTest {

    private static final String STATE = "af0ifjsldkj é&x";

    @Inject
    Pool pool;

    @Inject
    SigningKeys keys;

    @Inject
    StoremanConfig config;

    @Inject
    Subjects subjects;

    /** A signed-in user and a client of theirs that registered one post-logout redirect URI. */
    private record Setup(Account user, Browser browser, CodeFlow.Client client, String logoutUri) {
    }

    private Setup setup() {
        Account user = Fixtures.newUser();
        CodeFlow.Client client = CodeFlow.newClient(user, "openid public", true);
        String logoutUri = client.redirectUri().replace("/callback/", "/signed-out/");
        pool.preparedQuery("update oauth_applications set post_logout_redirect_uris = $1 where client_id = $2")
                .execute(Tuple.of(logoutUri, client.clientId())).await().indefinitely();
        return new Setup(user, Pages.signIn(user), client, logoutUri);
    }

    @Test
    void logoutWhenHintOfTheSessionUserAndRegisteredUriThenRedirectedWithStateAndSessionEnded() {
        Setup setup = setup();
        String hint = hint(Long.toString(setup.user().id()), setup.client().clientId());

        Response answer = setup.browser().request()
                .queryParam("id_token_hint", hint)
                .queryParam("post_logout_redirect_uri", setup.logoutUri())
                .queryParam("state", STATE)
                .get("/oauth/logout");

        answer.then().statusCode(302)
                .header("Location", equalTo(setup.logoutUri() + "?state=af0ifjsldkj%20%C3%A9%26x"))
                .header("Cache-Control", "no-store");
        assertTrue(answer.getHeader("Set-Cookie").startsWith(Pages.SESSION_COOKIE + "=;"), answer.getHeader(
                "Set-Cookie"));
        assertEquals(0, sessionsOf(setup.user()), "the session's row is gone");
        setup.browser().request().get("/account")
                .then().statusCode(303)
                .header("Location", containsString("/users/sign_in"));
    }

    @Test
    void logoutWhenHintWithoutRedirectUriThenSignedOutPage() {
        Setup setup = setup();
        setup.browser().request()
                .queryParam("id_token_hint", hint(Long.toString(setup.user().id()), setup.client().clientId()))
                .get("/oauth/logout")
                .then().statusCode(200)
                .header("Location", nullValue())
                .header("Cache-Control", "no-store")
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .body(containsString("You are signed out"));
        assertEquals(0, sessionsOf(setup.user()));
    }

    @Test
    void logoutWhenPairwiseClientsHintThenItsSubNamesTheUser() {
        Setup setup = setup();
        pool.preparedQuery("update oauth_applications set subject_type = 'pairwise' where client_id = $1")
                .execute(Tuple.of(setup.client().clientId())).await().indefinitely();
        OAuthApplication client = new OAuthApplication();
        client.clientId = setup.client().clientId();
        client.redirectUri = setup.client().redirectUri();
        client.subjectType = Subjects.PAIRWISE;
        String pairwise = subjects.subject(client, setup.user().id());

        awaitPairwise(setup, pairwise);

        assertEquals(0, sessionsOf(setup.user()));
    }

    /** The cache forgets a changed application on its notification: retry until the change is seen. */
    private void awaitPairwise(Setup setup, String pairwise) {
        for (int attempt = 0; attempt < 50; attempt++) {
            Response answer = setup.browser().request()
                    .queryParam("id_token_hint", hint(pairwise, setup.client().clientId()))
                    .queryParam("post_logout_redirect_uri", setup.logoutUri())
                    .get("/oauth/logout");
            if (answer.statusCode() == 302) {
                assertEquals(setup.logoutUri(), answer.getHeader("Location"));
                return;
            }
            sleep();
        }
        throw new AssertionError("the pairwise hint never ended the session");
    }

    @Test
    void logoutWhenUnregisteredRedirectUriThenErrorPageWithoutLocation() {
        Setup setup = setup();
        String hint = hint(Long.toString(setup.user().id()), setup.client().clientId());
        for (String uri : new String[] {"https://evil.example/", setup.logoutUri() + "/", setup.client().redirectUri(),
            setup.logoutUri().toUpperCase()}) {
            setup.browser().request()
                    .queryParam("id_token_hint", hint)
                    .queryParam("post_logout_redirect_uri", uri)
                    .queryParam("state", STATE)
                    .get("/oauth/logout")
                    .then().statusCode(400)
                    .header("Location", nullValue())
                    .header("Cache-Control", "no-store")
                    .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                    .body(containsString("not one the application registered"));
        }
        assertEquals(1, sessionsOf(setup.user()), "the session stays");
    }

    @Test
    void logoutWhenRedirectUriWithoutClientThenErrorPage() {
        Setup setup = setup();
        setup.browser().request()
                .queryParam("post_logout_redirect_uri", setup.logoutUri())
                .get("/oauth/logout")
                .then().statusCode(400)
                .header("Location", nullValue());
        assertEquals(1, sessionsOf(setup.user()));
    }

    @Test
    void logoutWhenClientIdDisagreesWithTheHintThenErrorPage() {
        Setup setup = setup();
        CodeFlow.Client other = CodeFlow.newClient(setup.user(), "openid", true);
        setup.browser().request()
                .queryParam("id_token_hint", hint(Long.toString(setup.user().id()), setup.client().clientId()))
                .queryParam("client_id", other.clientId())
                .queryParam("post_logout_redirect_uri", setup.logoutUri())
                .get("/oauth/logout")
                .then().statusCode(400)
                .header("Location", nullValue())
                .body(containsString("not the client the id_token_hint was issued to"));
        assertEquals(1, sessionsOf(setup.user()));
    }

    @Test
    void logoutWhenHintIsNotOursThenErrorPage() {
        Setup setup = setup();
        String hint = hint(Long.toString(setup.user().id()), setup.client().clientId());
        String[] parts = hint.split("\\.");
        setup.browser().request()
                .queryParam("id_token_hint", parts[0] + "." + parts[1] + "." + "AAAA" + parts[2].substring(4))
                .queryParam("post_logout_redirect_uri", setup.logoutUri())
                .get("/oauth/logout")
                .then().statusCode(400)
                .header("Location", nullValue())
                .body(containsString("not an ID token this server issued"));
        assertEquals(1, sessionsOf(setup.user()));
    }

    @Test
    void logoutWhenHintOfAnotherUserThenConfirmationPage() {
        Setup setup = setup();
        Account other = Fixtures.newUser();
        String page = setup.browser().request()
                .queryParam("id_token_hint", hint(Long.toString(other.id()), setup.client().clientId()))
                .queryParam("post_logout_redirect_uri", setup.logoutUri())
                .queryParam("state", STATE)
                .get("/oauth/logout")
                .then().statusCode(200)
                .header("Cache-Control", "no-store")
                .header("Content-Security-Policy", containsString("form-action 'self' https://client.example"))
                .body(containsString("id=\"confirm-sign-out\""))
                .body(containsString("Code flow app"))
                .extract().asString();
        assertTrue(page.contains("name=\"post_logout_redirect_uri\" value=\"" + setup.logoutUri() + "\""), page);
        assertEquals(1, sessionsOf(setup.user()), "asked, not ended");
    }

    @Test
    void logoutWhenGetWithoutHintThenConfirmationAndTheSessionStays() {
        Setup setup = setup();
        setup.browser().request()
                .queryParam("client_id", setup.client().clientId())
                .queryParam("post_logout_redirect_uri", setup.logoutUri())
                .get("/oauth/logout")
                .then().statusCode(200)
                .body(containsString("id=\"confirm-sign-out\""))
                .body(containsString("name=\"_csrf\" value=\"" + setup.browser().csrf() + "\""));
        setup.browser().request().get("/oauth/logout")
                .then().statusCode(200)
                .header("Content-Security-Policy", not(containsString("client.example")))
                .body(containsString("id=\"confirm-sign-out\""));
        assertEquals(1, sessionsOf(setup.user()));
    }

    @Test
    void logoutWhenClientPostsWithoutHintThenConfirmationAndTheSessionStays() {
        Setup setup = setup();
        setup.browser().request()
                .formParam("client_id", setup.client().clientId())
                .formParam("post_logout_redirect_uri", setup.logoutUri())
                .post("/oauth/logout")
                .then().statusCode(200)
                .body(containsString("id=\"confirm-sign-out\""));
        assertEquals(1, sessionsOf(setup.user()));
    }

    @Test
    void logoutWhenConfirmationPostedWithCsrfThenSessionEndsAndRedirectedWithState() {
        Setup setup = setup();
        String page = setup.browser().request()
                .queryParam("client_id", setup.client().clientId())
                .queryParam("post_logout_redirect_uri", setup.logoutUri())
                .queryParam("state", "xyz")
                .get("/oauth/logout")
                .then().statusCode(200).extract().asString();

        Response answer = setup.browser().request()
                .formParam("_csrf", Pages.formToken(page))
                .formParam("client_id", setup.client().clientId())
                .formParam("post_logout_redirect_uri", setup.logoutUri())
                .formParam("state", "xyz")
                .formParam("confirm", "sign_out")
                .post("/oauth/logout");

        answer.then().statusCode(303)
                .header("Location", equalTo(setup.logoutUri() + "?state=xyz"));
        assertTrue(answer.getHeader("Set-Cookie").startsWith(Pages.SESSION_COOKIE + "=;"));
        assertEquals(0, sessionsOf(setup.user()));
        setup.browser().request().get("/account").then().statusCode(303);
    }

    @Test
    void logoutWhenConfirmationPostedWithoutRedirectUriThenSignedOutPage() {
        Setup setup = setup();
        setup.browser().request()
                .formParam("_csrf", setup.browser().csrf())
                .formParam("confirm", "sign_out")
                .post("/oauth/logout")
                .then().statusCode(200)
                .body(containsString("You are signed out"));
        assertEquals(0, sessionsOf(setup.user()));
    }

    @Test
    void logoutWhenConfirmationPostedWithoutOrWithWrongCsrfThenRefusedAndTheSessionStays() {
        Setup setup = setup();
        setup.browser().request()
                .formParam("client_id", setup.client().clientId())
                .formParam("post_logout_redirect_uri", setup.logoutUri())
                .formParam("confirm", "sign_out")
                .post("/oauth/logout")
                .then().statusCode(403)
                .header("Location", nullValue())
                .header("Set-Cookie", nullValue());
        setup.browser().request()
                .formParam("_csrf", "0".repeat(64))
                .formParam("confirm", "sign_out")
                .post("/oauth/logout")
                .then().statusCode(403)
                .header("Cache-Control", "no-store");
        assertEquals(1, sessionsOf(setup.user()));
        setup.browser().request().get("/account").then().statusCode(200);
    }

    @Test
    void logoutWhenNoSessionThenRedirectOrSignedOutPage() {
        Setup setup = setup();
        given().redirects().follow(false)
                .queryParam("client_id", setup.client().clientId())
                .queryParam("post_logout_redirect_uri", setup.logoutUri())
                .queryParam("state", "s1")
                .get("/oauth/logout")
                .then().statusCode(302)
                .header("Location", equalTo(setup.logoutUri() + "?state=s1"));
        given().redirects().follow(false).get("/oauth/logout")
                .then().statusCode(200)
                .body(containsString("You are signed out"));
        assertEquals(1, sessionsOf(setup.user()), "another browser's session is not touched");
    }

    @Test
    void logoutWhenParameterSentTwiceThenErrorPage() {
        Setup setup = setup();
        setup.browser().request()
                .queryParam("post_logout_redirect_uri", setup.logoutUri(), "https://evil.example/")
                .queryParam("client_id", setup.client().clientId())
                .get("/oauth/logout")
                .then().statusCode(400)
                .header("Location", nullValue());
    }

    @Test
    void logoutWhenTheRegisteredUriIsNoUriThenErrorPageNot500() {
        Setup setup = setup();
        String broken = "https://client.example/signed^out";
        pool.preparedQuery("update oauth_applications set post_logout_redirect_uris = $1 where client_id = $2")
                .execute(Tuple.of(broken, setup.client().clientId())).await().indefinitely();
        for (int attempt = 0; attempt < 50; attempt++) {
            Response answer = setup.browser().request()
                    .queryParam("client_id", setup.client().clientId())
                    .queryParam("post_logout_redirect_uri", broken)
                    .get("/oauth/logout");
            if (answer.statusCode() == 400 && answer.asString().contains("not a valid URI")) {
                answer.then().header("Location", nullValue());
                return;
            }
            assertEquals(400, answer.statusCode(), "until the cache forgets the old row: unregistered");
            sleep();
        }
        throw new AssertionError("the broken registered URI was never seen");
    }

    @Test
    void logoutWhenBrowserUsesAnotherMethodThen405Page() {
        given().redirects().follow(false).header("Accept", "text/html,*/*;q=0.8").put("/oauth/logout")
                .then().statusCode(405)
                .contentType(containsString("text/html"))
                .header("Cache-Control", "no-store")
                .header("Content-Security-Policy", containsString("frame-ancestors"));
    }

    private long sessionsOf(Account user) {
        return pool.preparedQuery("select count(*) from web_sessions where user_id = $1")
                .execute(Tuple.of(user.id())).await().indefinitely().iterator().next().getLong(0);
    }

    /** An ID token as the design specifies one, to serve as id_token_hint. */
    private String hint(String subject, String clientId) {
        SigningKey key = keys.active();
        JwtClaims claims = new JwtClaims();
        long now = Instant.now().getEpochSecond();
        claims.setIssuer(config.issuer());
        claims.setSubject(subject);
        claims.setAudience(clientId);
        claims.setClaim("azp", clientId);
        claims.setIssuedAt(NumericDate.fromSeconds(now));
        claims.setExpirationTime(NumericDate.fromSeconds(now + 7200));
        claims.setClaim("auth_time", now);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.privateKey());
        jws.setKeyIdHeaderValue(key.kid());
        jws.setHeader("typ", "JWT");
        jws.setAlgorithmHeaderValue(key.algorithm().name());
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
