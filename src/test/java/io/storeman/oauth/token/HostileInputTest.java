package io.storeman.oauth.token;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.OAuthAnswers;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input at the OAuth endpoints: always a 4xx with an RFC 6749 error body, never a 500 or a stack trace. */
@QuarkusTest
class HostileInputTest {

    private static final RestAssuredConfig RAW = RestAssuredConfig.config()
            .encoderConfig(EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false));

    @Test
    void tokenWhenMalformedJsonThenInvalidRequest() {
        given().contentType("application/json").body("{\"grant_type\": \"password\",")
                .post("/oauth/token")
                .then().spec(OAuthAnswers.error(400, "invalid_request"))
                .body(not(containsString("Exception")));
    }

    @Test
    void tokenWhenJsonArrayThenInvalidRequest() {
        given().contentType("application/json").body("[1,2]")
                .post("/oauth/token")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void tokenWhenNestedJsonValueThenInvalidRequest() {
        given().contentType("application/json").body("{\"grant_type\": {\"a\": 1}}")
                .post("/oauth/token")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void tokenWhenTextPlainThenInvalidRequest() {
        given().config(RAW).contentType("text/plain").body("grant_type=password")
                .post("/oauth/token")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void revokeWhenXmlThenInvalidRequest() {
        given().config(RAW).contentType("application/xml").body("<token/>")
                .post("/oauth/revoke")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void tokenWhenParameterRepeatedThenInvalidRequest() {
        given().config(RAW).contentType("application/x-www-form-urlencoded")
                .body("grant_type=client_credentials&grant_type=password&client_id=x")
                .post("/oauth/token")
                .then().spec(OAuthAnswers.error(400, "invalid_request"))
                .body("error_description", containsString("grant_type"));
    }

    @Test
    void tokenWhenMalformedPercentEscapeThenInvalidRequest() {
        given().config(RAW).contentType("application/x-www-form-urlencoded")
                .body("grant_type=%zz")
                .post("/oauth/token")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void tokenWhenInvalidUtf8ThenInvalidRequest() {
        given().config(RAW).contentType("application/x-www-form-urlencoded")
                .body("grant_type=%C3%28")
                .post("/oauth/token")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void tokenWhenNulCharacterThenInvalidRequest() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        given().config(RAW).contentType("application/x-www-form-urlencoded")
                .body("grant_type=password&username=" + user.email() + "%00&password=x&client_id=" + app.clientId()
                        + "&client_secret=" + app.clientSecret())
                .post("/oauth/token")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab%00cd:secret", "ab%C2%85cd:secret", "%ED%A0%80:secret"})
    void tokenWhenBasicClientIdHoldsControlOrBrokenCharacterThenInvalidClient(String pair) {
        given().header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(pair.getBytes(StandardCharsets.US_ASCII)))
                .formParam("grant_type", "client_credentials")
                .post("/oauth/token")
                .then().spec(OAuthAnswers.invalidClientWithBasicChallenge());
    }

    @Test
    void tokenWhenJsonValueHoldsLoneSurrogateThenInvalidRequest() {
        given().contentType("application/json")
                .body("{\"grant_type\": \"client_credentials\", \"client_id\": \"a\\ud800b\"}")
                .post("/oauth/token")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"client_id", "code_verifier", "redirect_uri"})
    void tokenWhenParameterOverItsBoundThenInvalidRequest(String name) {
        given().formParam("grant_type", "authorization_code").formParam(name, "x".repeat(2001))
                .post("/oauth/token")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void tokenWhenBodyOversizedThen4xxWithoutServerError() {
        String big = "grant_type=password&username=" + "a".repeat(70_000);
        int status = given().config(RAW).contentType("application/x-www-form-urlencoded").body(big)
                .post("/oauth/token").statusCode();
        org.junit.jupiter.api.Assertions.assertTrue(status == 400 || status == 413, "status " + status);
    }

    @Test
    void tokenWhenEmptyBodyThenInvalidRequest() {
        given().config(RAW).contentType("application/x-www-form-urlencoded").body("")
                .post("/oauth/token")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void tokenWhenGetThen4xxJson() {
        given().get("/oauth/token")
                .then().spec(OAuthAnswers.error(405, "invalid_request"));
    }

    @Test
    void tokenWhenMalformedBasicHeaderThenInvalidClient() {
        given().header("Authorization", "Basic !!!not-base64!!!")
                .formParam("grant_type", "client_credentials")
                .post("/oauth/token")
                .then().spec(OAuthAnswers.invalidClientWithBasicChallenge());
    }
}
