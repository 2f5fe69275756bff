package io.storeman.oauth.grant;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.storeman.support.CodeFlow;
import io.storeman.support.CodeFlow.Client;
import io.storeman.support.CodeFlow.Verifier;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.OAuthAnswers;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

/** The token endpoint's {@code authorization_code} grant (RFC 6749 §4.1.3, RFC 7636 S256). */
@QuarkusTest
class AuthorizationCodeGrantTest {

    @Inject
    CodeFlow flow;

    @Test
    void redeemWhenCodeVerifierAndRedirectUriMatchThenTokensThatTheApiAccepts() {
        Account user = Fixtures.newUser();
        Client client = CodeFlow.newClient(Fixtures.newUser(), Fixtures.ALL_SCOPES, true);
        Verifier pkce = Verifier.create();
        String code = flow.code(user, client, "public read_items", pkce);

        String accessToken = CodeFlow.redeem(client, code, client.redirectUri(), pkce.verifier())
                .statusCode(200)
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache")
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(7200))
                .body("scope", equalTo("public read_items"))
                .body("refresh_token", not(emptyOrNullString()))
                .extract().path("access_token");
        given().auth().oauth2(accessToken).get("/api/v1/me")
                .then().statusCode(200).body("email", equalTo(user.email()));
    }

    @Test
    void redeemWhenPublicClientSendsOnlyClientIdAndVerifierThenTokens() {
        Account user = Fixtures.newUser();
        Client client = CodeFlow.newClient(user, "public", false);
        Verifier pkce = Verifier.create();
        String code = flow.code(user, client, null, pkce);

        CodeFlow.redeem(client, code, client.redirectUri(), pkce.verifier())
                .statusCode(200)
                .body("scope", equalTo("public"))
                .body("refresh_token", not(emptyOrNullString()));
    }

    @Test
    void redeemWhenVerifierWrongThenInvalidGrant() {
        Account user = Fixtures.newUser();
        Client client = CodeFlow.newClient(user, "public", false);
        String code = flow.code(user, client, null, Verifier.create());

        CodeFlow.redeem(client, code, client.redirectUri(), Verifier.create().verifier())
                .spec(OAuthAnswers.error(400, "invalid_grant"));
    }

    @Test
    void redeemWhenVerifierIsTheChallengeItselfThenInvalidGrant() {
        Account user = Fixtures.newUser();
        Client client = CodeFlow.newClient(user, "public", false);
        Verifier pkce = Verifier.create();
        String code = flow.code(user, client, null, pkce);

        CodeFlow.redeem(client, code, client.redirectUri(), pkce.challenge())
                .spec(OAuthAnswers.error(400, "invalid_grant"));
    }

    @Test
    void redeemWhenVerifierMissingThenInvalidRequestAndCodeStillRedeemable() {
        Account user = Fixtures.newUser();
        Client client = CodeFlow.newClient(user, "public", true);
        Verifier pkce = Verifier.create();
        String code = flow.code(user, client, null, pkce);

        CodeFlow.redeem(client, code, client.redirectUri(), null)
                .spec(OAuthAnswers.error(400, "invalid_request"));
        CodeFlow.redeem(client, code, client.redirectUri(), pkce.verifier()).statusCode(200);
    }

    @Test
    void redeemWhenCodeReusedThenInvalidGrantAndTokensOfFirstUseRevoked() {
        Account user = Fixtures.newUser();
        Client client = CodeFlow.newClient(user, Fixtures.ALL_SCOPES, true);
        Verifier pkce = Verifier.create();
        String code = flow.code(user, client, null, pkce);
        Response first = CodeFlow.redeem(client, code, client.redirectUri(), pkce.verifier())
                .statusCode(200).extract().response();
        String accessToken = first.path("access_token");
        String refreshToken = first.path("refresh_token");
        given().auth().oauth2(accessToken).get("/api/v1/me").then().statusCode(200);

        CodeFlow.redeem(client, code, client.redirectUri(), pkce.verifier())
                .spec(OAuthAnswers.error(400, "invalid_grant"));

        given().auth().oauth2(accessToken).get("/api/v1/me").then().statusCode(401);
        refresh(client, refreshToken).statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void redeemWhenCodeReusedAfterARefreshThenTheRotatedTokensAreRevokedToo() {
        Account user = Fixtures.newUser();
        Client client = CodeFlow.newClient(user, "public", true);
        Verifier pkce = Verifier.create();
        String code = flow.code(user, client, null, pkce);
        String refreshToken = CodeFlow.redeem(client, code, client.redirectUri(), pkce.verifier())
                .statusCode(200).extract().path("refresh_token");
        Response rotated = refresh(client, refreshToken).statusCode(200).extract().response();

        CodeFlow.redeem(client, code, client.redirectUri(), pkce.verifier()).statusCode(400);

        given().auth().oauth2(rotated.<String>path("access_token")).get("/api/v1/me").then().statusCode(401);
        refresh(client, rotated.path("refresh_token")).statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void redeemWhenTwoUsesRaceThenExactlyOneWinsAndItsTokensAreRevoked() throws Exception {
        Account user = Fixtures.newUser();
        Client client = CodeFlow.newClient(user, "public", true);
        Verifier pkce = Verifier.create();
        String code = flow.code(user, client, null, pkce);
        CyclicBarrier start = new CyclicBarrier(2);
        List<CompletableFuture<Response>> uses = List.of(1, 2).stream()
                .map(i -> CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return CodeFlow.redeem(client, code, client.redirectUri(), pkce.verifier()).extract().response();
                }))
                .toList();
        List<Response> answers = uses.stream().map(CompletableFuture::join).toList();

        assertEquals(1, answers.stream().filter(answer -> answer.statusCode() == 200).count());
        Response loser = answers.stream().filter(answer -> answer.statusCode() != 200).findFirst().orElseThrow();
        assertEquals(400, loser.statusCode());
        assertEquals("invalid_grant", loser.path("error"));
        Response winner = answers.stream().filter(answer -> answer.statusCode() == 200).findFirst().orElseThrow();
        given().auth().oauth2(winner.<String>path("access_token")).get("/api/v1/me").then().statusCode(401);
    }

    @Test
    void redeemWhenCodeWasIssuedToAnotherClientThenInvalidGrantAndTheCodeSurvives() {
        Account user = Fixtures.newUser();
        Client owner = CodeFlow.newClient(user, "public", true);
        Client other = CodeFlow.newClient(user, "public", true);
        Verifier pkce = Verifier.create();
        String code = flow.code(user, owner, null, pkce);

        CodeFlow.redeem(other, code, owner.redirectUri(), pkce.verifier())
                .spec(OAuthAnswers.error(400, "invalid_grant"));
        CodeFlow.redeem(owner, code, owner.redirectUri(), pkce.verifier()).statusCode(200);
    }

    @Test
    void redeemWhenRedirectUriDiffersFromTheRequestThenInvalidGrant() {
        Account user = Fixtures.newUser();
        Client client = CodeFlow.newClient(user, "public", true);
        Verifier pkce = Verifier.create();
        String code = flow.code(user, client, null, pkce);

        CodeFlow.redeem(client, code, client.redirectUri() + "/other", pkce.verifier())
                .spec(OAuthAnswers.error(400, "invalid_grant"));
        CodeFlow.redeem(client, code, client.redirectUri().toUpperCase(), pkce.verifier())
                .spec(OAuthAnswers.error(400, "invalid_grant"));
    }

    @Test
    void redeemWhenAuthorizationRequestNamedRedirectUriButTokenRequestOmitsItThenInvalidGrant() {
        Account user = Fixtures.newUser();
        Client client = CodeFlow.newClient(user, "public", true);
        Verifier pkce = Verifier.create();
        String code = flow.code(user, client, null, pkce);

        CodeFlow.redeem(client, code, null, pkce.verifier())
                .spec(OAuthAnswers.error(400, "invalid_grant"));
    }

    @Test
    void redeemWhenAuthorizationRequestNamedNoRedirectUriThenTokenRequestMayOmitIt() {
        Account user = Fixtures.newUser();
        Client client = CodeFlow.newClient(user, "public", true);
        Verifier pkce = Verifier.create();
        String code = flow.codeWithoutRedirectUri(user, client, null, pkce);

        CodeFlow.redeem(client, code, null, pkce.verifier()).statusCode(200);
    }

    @Test
    void redeemWhenCodeExpiredThenInvalidGrant() {
        Account user = Fixtures.newUser();
        Client client = CodeFlow.newClient(user, "public", true);
        Verifier pkce = Verifier.create();
        String code = flow.code(user, client, null, pkce);
        flow.expire(code);

        CodeFlow.redeem(client, code, client.redirectUri(), pkce.verifier())
                .spec(OAuthAnswers.error(400, "invalid_grant"));
    }

    @Test
    void redeemWhenCodeUnknownThenInvalidGrant() {
        Account user = Fixtures.newUser();
        Client client = CodeFlow.newClient(user, "public", true);

        CodeFlow.redeem(client, "not-a-code-we-issued", client.redirectUri(), Verifier.create().verifier())
                .spec(OAuthAnswers.error(400, "invalid_grant"));
    }

    @Test
    void redeemWhenCodeMissingThenInvalidRequest() {
        Account user = Fixtures.newUser();
        Client client = CodeFlow.newClient(user, "public", true);

        CodeFlow.redeem(client, null, client.redirectUri(), Verifier.create().verifier())
                .spec(OAuthAnswers.error(400, "invalid_request"));
    }

    @Test
    void redeemWhenClientSecretWrongThenInvalidClient() {
        Account user = Fixtures.newUser();
        Client client = CodeFlow.newClient(user, "public", true);
        Verifier pkce = Verifier.create();
        String code = flow.code(user, client, null, pkce);

        given().auth().preemptive().basic(client.clientId(), "wrong")
                .formParam("grant_type", "authorization_code")
                .formParam("code", code)
                .formParam("redirect_uri", client.redirectUri())
                .formParam("code_verifier", pkce.verifier())
                .post("/oauth/token")
                .then().spec(OAuthAnswers.invalidClientWithBasicChallenge());
        CodeFlow.redeem(client, code, client.redirectUri(), pkce.verifier()).statusCode(200);
    }

    private static ValidatableResponse refresh(Client client, String refreshToken) {
        return client.authenticated()
                .formParam("grant_type", "refresh_token")
                .formParam("refresh_token", refreshToken)
                .post("/oauth/token").then();
    }
}
