package io.storeman.oauth.dpop;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.storeman.common.ServerSecrets;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Server-provided nonces on (RFC 9449 §8, §9, docs/security.md B8): a proof without a valid nonce is refused with
 * {@code use_dpop_nonce} and a fresh {@code DPoP-Nonce}, with which the retry succeeds; proofs by Nimbus's factory.
 */
@QuarkusTest
@TestProfile(DpopNonceTest.NoncesOn.class)
class DpopNonceTest {

    public static class NoncesOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("storeman.dpop.nonces", "true");
        }
    }

    private static final String ME = "/api/v1/me";
    private static final String TOKEN = "/oauth/token";
    private static final String NONCE = "DPoP-Nonce";

    @Inject
    ServerSecrets secrets;

    /** The key every instance shares, as another instance reads it. */
    private byte[] sharedKey() {
        return secrets.get(DpopVerifier.NONCE_KEY).await().indefinitely();
    }

    private static ValidatableResponse password(App app, Account user, String proof) {
        return given().formParam("grant_type", "password").formParam("scope", "public")
                .formParam("username", user.email()).formParam("password", user.password())
                .formParam("client_id", app.clientId()).formParam("client_secret", app.clientSecret())
                .header("DPoP", proof).post(TOKEN).then();
    }

    private static ValidatableResponse dpopGet(String accessToken, String proof) {
        return given().header("Authorization", "DPoP " + accessToken).header("DPoP", proof).get(ME).then();
    }

    /** The nonce of a refused token request without one, as a client first meets it. */
    private static String firstNonce(App app, Account user, DpopProof key) {
        return password(app, user, key.proof("POST", TOKEN)).statusCode(400)
                .body("error", equalTo("use_dpop_nonce")).header(NONCE, notNullValue()).extract().header(NONCE);
    }

    @Test
    void tokenWhenProofWithoutNonceThenUseDpopNonceAndRetryWithItThenTokens() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        DpopProof key = DpopProof.newKey();
        String nonce = firstNonce(app, user, key);
        password(app, user, key.proof("POST", TOKEN, null, nonce)).statusCode(200)
                .body("token_type", equalTo("DPoP")).header(NONCE, equalTo(nonce));
    }

    @Test
    void tokenWhenNoProofThenBearerWithoutNonce() {
        Account user = Fixtures.newUser();
        Fixtures.passwordGrant(Fixtures.newApp(user, "public"), user, "public").statusCode(200)
                .body("token_type", equalTo("Bearer")).header(NONCE, (String) null);
    }

    @Test
    void apiWhenProofWithoutNonceThen401UseDpopNonceAndRetryWithItThenAnswers() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        DpopProof key = DpopProof.newKey();
        String nonce = firstNonce(app, user, key);
        String token = password(app, user, key.proof("POST", TOKEN, null, nonce)).statusCode(200)
                .extract().path("access_token");

        ExtractableResponse<Response> refused = dpopGet(token, key.proof("GET", ME, token)).statusCode(401)
                .header("WWW-Authenticate", startsWith("DPoP algs=\"ES256 ES384 RS256 PS256 EdDSA\""))
                .header("WWW-Authenticate", containsString("error=\"use_dpop_nonce\""))
                .body("error", equalTo("use_dpop_nonce")).header(NONCE, notNullValue()).extract();
        dpopGet(token, key.proof("GET", ME, token, refused.header(NONCE))).statusCode(200)
                .body("email", equalTo(user.email())).header(NONCE, notNullValue());
    }

    @Test
    void tokenWhenNonceForgedOrStaleThenUseDpopNonce() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        DpopProof key = DpopProof.newKey();
        String nonce = firstNonce(app, user, key);
        String forged = (nonce.charAt(0) == 'A' ? "B" : "A") + nonce.substring(1);
        password(app, user, key.proof("POST", TOKEN, null, forged)).statusCode(400)
                .body("error", equalTo("use_dpop_nonce")).header(NONCE, equalTo(nonce));
        // A nonce two slots old, under the same shared key (as another instance long ago would have made it).
        String stale = new DpopNonces(sharedKey(), Duration.ofMinutes(5),
                Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10))).current();
        password(app, user, key.proof("POST", TOKEN, null, stale)).statusCode(400)
                .body("error", equalTo("use_dpop_nonce"));
        password(app, user, key.proof("POST", TOKEN, null, "x".repeat(200))).statusCode(400)
                .body("error", equalTo("use_dpop_nonce"));
    }

    @Test
    void tokenWhenNonceMadeByAnotherInstanceWithTheSharedKeyThenAccepted() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        DpopProof key = DpopProof.newKey();
        firstNonce(app, user, key);
        String elsewhere = new DpopNonces(sharedKey(), Duration.ofMinutes(5),
                Clock.systemUTC()).current();
        password(app, user, key.proof("POST", TOKEN, null, elsewhere)).statusCode(200)
                .body("token_type", equalTo("DPoP"));
    }
}
