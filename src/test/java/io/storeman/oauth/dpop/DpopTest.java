package io.storeman.oauth.dpop;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jwt.SignedJWT;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.storeman.support.CodeFlow;
import io.storeman.support.CodeFlow.Client;
import io.storeman.support.CodeFlow.Verifier;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * RFC 9449 end to end (docs/security.md B1-B7): proofs made by Nimbus's DPoP proof factory for the good path, and
 * hostile proofs made by hand, against the token endpoint, the API, UserInfo, token info and introspection.
 */
@QuarkusTest
class DpopTest {

    private static final String ME = "/api/v1/me";
    private static final String TOKEN = "/oauth/token";

    @Inject
    CodeFlow flow;

    @Inject
    Pool pool;

    private record Bound(App app, Account user, DpopProof key, String accessToken, String refreshToken) {
    }

    /** A confidential app's password grant with a proof by a new key. */
    private static Bound bound(String scopes) {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, scopes);
        DpopProof key = DpopProof.newKey();
        JsonPath json = given().formParam("grant_type", "password").formParam("scope", scopes)
                .formParam("username", user.email()).formParam("password", user.password())
                .formParam("client_id", app.clientId()).formParam("client_secret", app.clientSecret())
                .header("DPoP", key.proof("POST", TOKEN)).post(TOKEN).then().statusCode(200)
                .body("token_type", equalTo("DPoP")).extract().jsonPath();
        return new Bound(app, user, key, json.getString("access_token"), json.getString("refresh_token"));
    }

    private static ValidatableResponse password(App app, Account user, String proof) {
        var request = given().formParam("grant_type", "password")
                .formParam("username", user.email()).formParam("password", user.password())
                .formParam("client_id", app.clientId()).formParam("client_secret", app.clientSecret());
        if (proof != null) {
            request.header("DPoP", proof);
        }
        return request.post(TOKEN).then();
    }

    private static ValidatableResponse dpopGet(String path, String accessToken, String proof) {
        var request = given().header("Authorization", "DPoP " + accessToken);
        if (proof != null) {
            request.header("DPoP", proof);
        }
        return request.get(path).then();
    }

    private static void refusedProof(ValidatableResponse response) {
        response.statusCode(401)
                .header("WWW-Authenticate", startsWith("DPoP algs=\"ES256 ES384 RS256 PS256 EdDSA\""))
                .header("WWW-Authenticate", containsString("error=\"invalid_dpop_proof\""))
                .body("error", equalTo("invalid_dpop_proof"));
    }

    private static void refusedAtTokenEndpoint(App app, Account user, String proof) {
        password(app, user, proof).statusCode(400).body("error", equalTo("invalid_dpop_proof"));
    }

    @Test
    void passwordGrantWhenProofThenTokenBoundToTheKey() throws Exception {
        Bound bound = bound("public");
        Map<String, Object> cnf = SignedJWT.parse(bound.accessToken()).getJWTClaimsSet().getJSONObjectClaim("cnf");
        assertEquals(bound.key().jkt(), cnf.get("jkt"));
    }

    @Test
    void passwordGrantWhenNoProofThenBearerAsBefore() {
        Account user = Fixtures.newUser();
        password(Fixtures.newApp(user, "public"), user, null).statusCode(200).body("token_type", equalTo("Bearer"));
    }

    @Test
    void apiWhenDpopTokenAndProofThenAnswers() {
        Bound bound = bound("public");
        dpopGet(ME, bound.accessToken(), bound.key().proof("GET", ME, bound.accessToken()))
                .statusCode(200).body("email", equalTo(bound.user().email()));
    }

    @Test
    void tokenAndApiWhenNoncesOffThenNoNonceNeededNorSent() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        DpopProof key = DpopProof.newKey();
        String token = password(app, user, key.proof("POST", TOKEN)).statusCode(200).header("DPoP-Nonce",
                (String) null).extract().path("access_token");
        dpopGet(ME, token, key.proof("GET", ME, token)).statusCode(200).header("DPoP-Nonce", (String) null);
    }

    @Test
    void userInfoAndTokenInfoWhenDpopTokenAndProofThenAnswer() {
        Bound bound = bound("public openid");
        dpopGet("/userinfo", bound.accessToken(), bound.key().proof("GET", "/userinfo", bound.accessToken()))
                .statusCode(200).body("sub", equalTo(Long.toString(bound.user().id())));
        dpopGet("/oauth/token/info", bound.accessToken(),
                bound.key().proof("GET", "/oauth/token/info", bound.accessToken()))
                .statusCode(200).body("resource_owner_id", equalTo((int) bound.user().id()));
    }

    @Test
    void apiWhenBoundTokenSentAsBearerThenInvalidToken() {
        Bound bound = bound("public");
        Fixtures.me(bound.accessToken()).statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""));
    }

    @Test
    void apiWhenBoundTokenWithoutProofThenInvalidDpopProof() {
        Bound bound = bound("public");
        refusedProof(dpopGet(ME, bound.accessToken(), null));
    }

    @Test
    void apiWhenUnboundTokenUnderDpopSchemeThenInvalidToken() {
        Account user = Fixtures.newUser();
        String token = Fixtures.passwordTokens(Fixtures.newApp(user, "public"), user, null).accessToken();
        DpopProof key = DpopProof.newKey();
        dpopGet(ME, token, key.proof("GET", ME, token)).statusCode(401)
                .header("WWW-Authenticate", startsWith("DPoP algs="))
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""));
    }

    @Test
    void apiWhenProofByAnotherKeyThenRefused() {
        Bound bound = bound("public");
        refusedProof(dpopGet(ME, bound.accessToken(), DpopProof.newKey().proof("GET", ME, bound.accessToken())));
    }

    @Test
    void apiWhenProofReplayedThenRefused() {
        Bound bound = bound("public");
        String proof = bound.key().proof("GET", ME, bound.accessToken());
        dpopGet(ME, bound.accessToken(), proof).statusCode(200);
        refusedProof(dpopGet(ME, bound.accessToken(), proof));
    }

    @Test
    void apiWhenWrongHtuOrHtmThenRefused() {
        Bound bound = bound("public");
        refusedProof(dpopGet(ME, bound.accessToken(), bound.key().proof("GET", "/api/v1/spaces", bound.accessToken())));
        refusedProof(dpopGet(ME, bound.accessToken(), bound.key().proof("POST", ME, bound.accessToken())));
        Map<String, Object> otherHost = DpopProof.claims("GET", ME, bound.accessToken());
        otherHost.put("htu", "https://evil.example" + ME);
        refusedProof(dpopGet(ME, bound.accessToken(), bound.key().signed(bound.key().header(), otherHost)));
    }

    @Test
    void apiWhenHtuDiffersOnlyByCaseDefaultPortOrQueryThenAccepted() {
        Bound bound = bound("public");
        Map<String, Object> claims = DpopProof.claims("GET", ME, bound.accessToken());
        claims.put("htu", "HTTP://Storeman.Test:80" + ME + "?x=1#f");
        dpopGet(ME, bound.accessToken(), bound.key().signed(bound.key().header(), claims)).statusCode(200);
    }

    @Test
    void apiWhenMissingOrWrongAthThenRefused() {
        Bound bound = bound("public");
        refusedProof(dpopGet(ME, bound.accessToken(), bound.key().proof("GET", ME)));
        Map<String, Object> wrong = DpopProof.claims("GET", ME, "another token");
        refusedProof(dpopGet(ME, bound.accessToken(), bound.key().signed(bound.key().header(), wrong)));
    }

    @Test
    void tokenEndpointWhenHostileProofThenInvalidDpopProof() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        DpopProof key = DpopProof.newKey();
        refusedAtTokenEndpoint(app, user, key.unsigned(DpopProof.claims("POST", TOKEN, null)));
        refusedAtTokenEndpoint(app, user, DpopProof.hmac(DpopProof.claims("POST", TOKEN, null)));
        Map<String, Object> privateHeader = key.header();
        privateHeader.put("jwk", key.privateJwk());
        refusedAtTokenEndpoint(app, user, key.signed(privateHeader, DpopProof.claims("POST", TOKEN, null)));
        Map<String, Object> wrongType = key.header();
        wrongType.put("typ", "JWT");
        refusedAtTokenEndpoint(app, user, key.signed(wrongType, DpopProof.claims("POST", TOKEN, null)));
        Map<String, Object> stale = DpopProof.claims("POST", TOKEN, null);
        stale.put("iat", Instant.now().getEpochSecond() - 300);
        refusedAtTokenEndpoint(app, user, key.signed(key.header(), stale));
        Map<String, Object> future = DpopProof.claims("POST", TOKEN, null);
        future.put("iat", Instant.now().getEpochSecond() + 300);
        refusedAtTokenEndpoint(app, user, key.signed(key.header(), future));
        Map<String, Object> longJti = DpopProof.claims("POST", TOKEN, null);
        longJti.put("jti", "j".repeat(DpopProofs.MAX_JTI_LENGTH + 1));
        refusedAtTokenEndpoint(app, user, key.signed(key.header(), longJti));
        refusedAtTokenEndpoint(app, user, key.proof("GET", TOKEN));
        refusedAtTokenEndpoint(app, user, key.proof("POST", "/oauth/revoke"));
        refusedAtTokenEndpoint(app, user, "x".repeat(DpopProofs.MAX_PROOF_LENGTH + 1));
        refusedAtTokenEndpoint(app, user, "not.a.jwt");
        // A forged signature: a good header and claims, another key's signature.
        String good = key.proof("POST", TOKEN);
        String other = DpopProof.newKey().proof("POST", TOKEN);
        refusedAtTokenEndpoint(app, user, good.substring(0, good.lastIndexOf('.'))
                + other.substring(other.lastIndexOf('.')));
    }

    @Test
    void tokenEndpointWhenProofReplayedThenRefused() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        String proof = DpopProof.newKey().proof("POST", TOKEN);
        password(app, user, proof).statusCode(200);
        refusedAtTokenEndpoint(app, user, proof);
    }

    @Test
    void tokenEndpointWhenTwoProofsThenRefused() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        DpopProof key = DpopProof.newKey();
        given().formParam("grant_type", "password")
                .formParam("username", user.email()).formParam("password", user.password())
                .formParam("client_id", app.clientId()).formParam("client_secret", app.clientSecret())
                .header("DPoP", key.proof("POST", TOKEN)).header("DPoP", key.proof("POST", TOKEN))
                .post(TOKEN).then().statusCode(400).body("error", equalTo("invalid_dpop_proof"));
    }

    @Test
    void refreshWhenConfidentialClientWithProofThenNewTokenBound() {
        Bound bound = bound("public");
        String access = given().formParam("grant_type", "refresh_token")
                .formParam("refresh_token", bound.refreshToken())
                .formParam("client_id", bound.app().clientId()).formParam("client_secret", bound.app().clientSecret())
                .header("DPoP", bound.key().proof("POST", TOKEN))
                .post(TOKEN).then().statusCode(200).body("token_type", equalTo("DPoP"))
                .extract().path("access_token");
        dpopGet(ME, access, bound.key().proof("GET", ME, access)).statusCode(200);
    }

    @Test
    void refreshWhenPublicClientThenOnlyWithItsKey() {
        Account user = Fixtures.newUser();
        Client client = CodeFlow.newClient(user, "public", false);
        Verifier pkce = Verifier.create();
        String code = flow.code(user, client, "public", pkce);
        DpopProof key = DpopProof.newKey();
        String refreshToken = client.authenticated().formParam("grant_type", "authorization_code")
                .formParam("code", code).formParam("redirect_uri", client.redirectUri())
                .formParam("code_verifier", pkce.verifier())
                .header("DPoP", key.proof("POST", TOKEN))
                .post(TOKEN).then().statusCode(200).body("token_type", equalTo("DPoP"))
                .extract().path("refresh_token");

        publicRefresh(client, refreshToken, null).statusCode(400).body("error", equalTo("invalid_dpop_proof"));
        publicRefresh(client, refreshToken, DpopProof.newKey().proof("POST", TOKEN))
                .statusCode(400).body("error", equalTo("invalid_grant"));
        String next = publicRefresh(client, refreshToken, key.proof("POST", TOKEN)).statusCode(200)
                .body("token_type", equalTo("DPoP")).extract().path("refresh_token");
        // The successor is bound to the same key.
        publicRefresh(client, next, DpopProof.newKey().proof("POST", TOKEN))
                .statusCode(400).body("error", equalTo("invalid_grant"));
        publicRefresh(client, next, key.proof("POST", TOKEN)).statusCode(200);
    }

    private static ValidatableResponse publicRefresh(Client client, String refreshToken, String proof) {
        var request = client.authenticated().formParam("grant_type", "refresh_token")
                .formParam("refresh_token", refreshToken);
        if (proof != null) {
            request.header("DPoP", proof);
        }
        return request.post(TOKEN).then();
    }

    @Test
    void tokenRequestWhenApplicationRequiresDpopAndNoProofThenRefused() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        pool.preparedQuery("update oauth_applications set dpop_bound_access_tokens = true where id = $1")
                .execute(Tuple.of(app.id())).await().indefinitely();
        waitForClientCache(app, user);
        password(app, user, DpopProof.newKey().proof("POST", TOKEN)).statusCode(200)
                .body("token_type", equalTo("DPoP"));
    }

    /** The client cache learns of the change by notification: poll until the proof-less request is refused. */
    private static void waitForClientCache(App app, Account user) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        int status = 0;
        while (System.nanoTime() < deadline) {
            ValidatableResponse response = password(app, user, null);
            status = response.extract().statusCode();
            if (status == 400) {
                response.body("error", equalTo("invalid_dpop_proof"));
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("a proof-less token request still got " + status);
    }

    @Test
    void introspectionWhenBoundTokenThenCnf() {
        Bound bound = bound("public");
        given().formParam("token", bound.accessToken())
                .auth().preemptive().basic(bound.app().clientId(), bound.app().clientSecret())
                .post("/oauth/introspect").then().statusCode(200)
                .body("active", equalTo(true))
                .body("token_type", equalTo("DPoP"))
                .body("cnf.jkt", equalTo(bound.key().jkt()));
    }

    @Test
    void metadataWhenReadThenAdvertisesProofAlgorithms() {
        given().get("/.well-known/oauth-authorization-server").then().statusCode(200)
                .body("dpop_signing_alg_values_supported", hasItems("ES256", "RS256", "PS256", "EdDSA"));
        given().get("/.well-known/openid-configuration").then().statusCode(200)
                .body("dpop_signing_alg_values_supported", hasItems("ES256", "RS256"));
    }
}
