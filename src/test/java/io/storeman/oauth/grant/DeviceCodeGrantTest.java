package io.storeman.oauth.grant;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationRequest;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.device.DeviceCode;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.storeman.common.Secrets;
import io.storeman.oauth.token.OpenIdFlow;
import io.storeman.oauth.dpop.DpopProof;
import io.storeman.ops.Housekeeping;
import io.storeman.support.CodeFlow;
import io.storeman.support.CodeFlow.Client;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.OAuthAnswers;
import io.storeman.support.Pages;
import io.storeman.support.Pages.Browser;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The device authorization grant (RFC 8628) end to end over HTTP: the device authorization endpoint, the /device page
 * (approve, deny, throttling, the one answer for every unusable code), and every answer of the token endpoint's
 * {@code device_code} grant, with the state it keeps in PostgreSQL (docs/security.md G1-G7).
 */
@QuarkusTest
class DeviceCodeGrantTest {

    private static final String USER_CODE = "[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}";
    private static final String INVALID_CODE = "The code is invalid or has expired.";

    @Inject
    Pool pool;

    @Inject
    Housekeeping housekeeping;

    @TestHTTPResource("/oauth/device_authorization")
    URI deviceEndpoint;

    @TestHTTPResource("/oauth/token")
    URI tokenEndpoint;

    /** RFC 8628 §3.2's answer, as the device reads it. */
    record Started(String deviceCode, String userCode) {
    }

    @Test
    void deviceAuthorizationWhenConfidentialClientThenTheCodesOfSection32AndOnlyHashesStored() {
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public read_items", true);

        JsonPath answer = client.authenticated().formParam("scope", "read_items")
                .post("/oauth/device_authorization")
                .then().statusCode(200).header("Cache-Control", "no-store")
                .body("user_code", matchesPattern(USER_CODE))
                .body("device_code", matchesPattern("[A-Za-z0-9_-]{43}"))
                .body("verification_uri", equalTo("http://storeman.test/device"))
                .body("expires_in", equalTo(600))
                .body("interval", equalTo(5))
                .extract().jsonPath();
        String userCode = answer.getString("user_code");
        assertEquals("http://storeman.test/device?user_code=" + userCode,
                answer.getString("verification_uri_complete"));

        String deviceCode = answer.getString("device_code");
        Row row = row(deviceCode);
        assertEquals("pending", row.getString("status"));
        assertEquals(Secrets.sha256(userCode.replace("-", "")), row.getString("user_code_hash"));
        assertEquals("read_items", row.getString("scope"));
        assertEquals(0L, count("select count(*) from device_authorizations where device_code_hash = $1"
                + " or user_code_hash = $2", Tuple.of(deviceCode, userCode)), "the codes are stored only hashed");
    }

    @Test
    void deviceAuthorizationWhenPublicClientWithoutRedirectUriThenCodesForItsClientIdAlone() {
        Account owner = Fixtures.newUser();
        String clientId = given().auth().preemptive().basic(owner.email(), owner.password())
                .contentType(io.restassured.http.ContentType.JSON)
                .body(java.util.Map.of("name", "storeman-cli", "scopes", "public read_items", "confidential", false))
                .post("/api/v1/oauth/applications").then().statusCode(201).extract().path("client_id");

        given().formParam("client_id", clientId).formParam("scope", "public read_items")
                .post("/oauth/device_authorization").then().statusCode(200)
                .body("user_code", matchesPattern(USER_CODE));
    }

    @Test
    void deviceAuthorizationWhenScopeBeyondTheRegisteredOnesThenInvalidScope() {
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public", true);

        client.authenticated().formParam("scope", "public write_items").post("/oauth/device_authorization")
                .then().spec(OAuthAnswers.error(400, "invalid_scope"));
    }

    @Test
    void deviceAuthorizationWhenConfidentialClientSendsNoSecretThenInvalidClient() {
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public", true);

        given().formParam("client_id", client.clientId()).post("/oauth/device_authorization")
                .then().spec(OAuthAnswers.error(401, "invalid_client"));
    }

    @Test
    void deviceAuthorizationWhenTheClientHoldsItsBoundOfUndecidedCodesThenSlowDownUntilOneIsDecided() {
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public", false);
        Started first = start(client, null);
        for (int i = 1; i < 5; i++) {
            start(client, null);
        }

        client.authenticated().post("/oauth/device_authorization")
                .then().spec(OAuthAnswers.error(429, "slow_down")).header("Retry-After", not(equalTo(null)));

        decide(Pages.signIn(Fixtures.newUser()), first.userCode(), "deny");
        start(client, null);
    }

    @Test
    void grantWhenPublicClientWithNimbusThenPendingUntilApprovedThenTokensTheApiAccepts() throws Exception {
        Account user = Fixtures.newUser();
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public read_items", false);
        DeviceAuthorizationResponse started = DeviceAuthorizationResponse.parse(new DeviceAuthorizationRequest(
                deviceEndpoint, new ClientID(client.clientId()), new Scope("public", "read_items"))
                .toHTTPRequest().send());
        assertTrue(started.indicatesSuccess(), () -> started.toErrorResponse().getErrorObject().toString());
        DeviceAuthorizationSuccessResponse device = started.toSuccessResponse();
        assertEquals(5, device.getInterval());

        TokenErrorResponse pending = nimbusPoll(client, device.getDeviceCode()).toErrorResponse();
        assertEquals("authorization_pending", pending.getErrorObject().getCode());

        Browser browser = Pages.signIn(user);
        String consent = enter(browser, device.getUserCode().getValue()).then().statusCode(200)
                .extract().asString();
        assertTrue(consent.contains("id=\"user-code\">" + device.getUserCode().getValue() + "<"), consent);
        assertTrue(consent.contains("action=\"/device\""), consent);
        decide(browser, device.getUserCode().getValue(), "authorize").then().statusCode(200)
                .body(containsString("Device connected"));
        allowNextPoll(device.getDeviceCode().getValue());

        TokenResponse response = nimbusPoll(client, device.getDeviceCode());
        assertTrue(response.indicatesSuccess(), () -> response.toErrorResponse().getErrorObject().toString());
        AccessTokenResponse tokens = response.toSuccessResponse();
        assertNotNull(tokens.getTokens().getRefreshToken());
        assertEquals(new Scope("public", "read_items"), tokens.getTokens().getAccessToken().getScope());
        Fixtures.me(tokens.getTokens().getAccessToken().getValue()).statusCode(200)
                .body("id", equalTo((int) user.id()));
        given().auth().preemptive().basic(user.email(), user.password()).get("/api/v1/authorized_applications")
                .then().statusCode(200).body("client_id", hasItem(client.clientId()));
    }

    @Test
    void grantWhenConfidentialClientWithNimbusThenTokens() throws Exception {
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public", true);
        DeviceAuthorizationSuccessResponse device = DeviceAuthorizationResponse.parse(
                new DeviceAuthorizationRequest.Builder(new ClientSecretBasic(new ClientID(client.clientId()),
                        new Secret(client.clientSecret()))).endpointURI(deviceEndpoint).build()
                        .toHTTPRequest().send()).toSuccessResponse();
        decide(Pages.signIn(Fixtures.newUser()), device.getUserCode().getValue(), "authorize").then()
                .statusCode(200);

        TokenResponse response = TokenResponse.parse(new TokenRequest(tokenEndpoint,
                new ClientSecretBasic(new ClientID(client.clientId()), new Secret(client.clientSecret())),
                new com.nimbusds.oauth2.sdk.device.DeviceCodeGrant(device.getDeviceCode())).toHTTPRequest().send());

        assertTrue(response.indicatesSuccess(), () -> response.toErrorResponse().getErrorObject().toString());
    }

    @Test
    void grantWhenOpenIdWasGrantedThenAnIdTokenWithTheApproversSubject() throws Exception {
        Account user = Fixtures.newUser();
        Client client = OpenIdFlow.client(pool, Fixtures.newUser(), "openid public");
        Started device = start(client, "openid public");
        decide(Pages.signIn(user), device.userCode(), "authorize").then().statusCode(200);

        OIDCTokenResponse tokens = (OIDCTokenResponse) OIDCTokenResponseParser.parse(new TokenRequest(tokenEndpoint,
                new ClientSecretBasic(new ClientID(client.clientId()), new Secret(client.clientSecret())),
                new com.nimbusds.oauth2.sdk.device.DeviceCodeGrant(new DeviceCode(device.deviceCode())))
                .toHTTPRequest().send()).toSuccessResponse();

        var claims = OpenIdFlow.validate(tokens.getOIDCTokens().getIDTokenString(), client, "ES256", null);
        assertNotNull(claims.getAuthenticationTime());
        assertNull(claims.getNonce());
    }

    @Test
    void grantWhenAPublicClientPollsWithADpopProofThenItsTokensAreBoundToThatKey() throws Exception {
        Account user = Fixtures.newUser();
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public", false);
        Started started = start(client, "public");
        decide(Pages.signIn(user), started.userCode(), "authorize").then().statusCode(200);
        allowNextPoll(started.deviceCode());
        DpopProof key = DpopProof.newKey();

        JsonPath tokens = client.authenticated().header("DPoP", key.proof("POST", "/oauth/token"))
                .formParam("grant_type", DeviceCodeGrant.GRANT_TYPE).formParam("device_code", started.deviceCode())
                .post("/oauth/token").then().statusCode(200).body("token_type", equalTo("DPoP"))
                .extract().jsonPath();
        String accessToken = tokens.getString("access_token");
        Map<String, Object> cnf = SignedJWT.parse(accessToken).getJWTClaimsSet().getJSONObjectClaim("cnf");
        assertEquals(key.jkt(), cnf.get("jkt"), "the access token names the proof's key");

        given().header("Authorization", "DPoP " + accessToken)
                .header("DPoP", key.proof("GET", "/api/v1/me", accessToken))
                .get("/api/v1/me").then().statusCode(200).body("id", equalTo((int) user.id()));
        Fixtures.me(accessToken).statusCode(401);
        client.authenticated().formParam("grant_type", "refresh_token")
                .formParam("refresh_token", tokens.getString("refresh_token")).post("/oauth/token")
                .then().statusCode(400).body("error", equalTo("invalid_dpop_proof"));
        client.authenticated().header("DPoP", key.proof("POST", "/oauth/token"))
                .formParam("grant_type", "refresh_token").formParam("refresh_token", tokens.getString("refresh_token")).post("/oauth/token")
                .then().statusCode(200).body("token_type", equalTo("DPoP"));
    }

    @Test
    void grantWhenPolledSoonerThanTheIntervalThenSlowDownAndTheLongerIntervalHolds() {
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public", false);
        Started device = start(client, null);

        poll(client, device.deviceCode()).spec(OAuthAnswers.error(400, "authorization_pending"));
        poll(client, device.deviceCode()).spec(OAuthAnswers.error(400, "slow_down"));
        assertEquals(10, row(device.deviceCode()).getInteger("interval_seconds"));

        // 7 seconds later: enough for the first interval, too soon for the longer one, which grows again.
        polledSecondsAgo(device.deviceCode(), 7);
        poll(client, device.deviceCode()).spec(OAuthAnswers.error(400, "slow_down"));
        assertEquals(15, row(device.deviceCode()).getInteger("interval_seconds"));

        polledSecondsAgo(device.deviceCode(), 16);
        poll(client, device.deviceCode()).spec(OAuthAnswers.error(400, "authorization_pending"));
        assertEquals(15, row(device.deviceCode()).getInteger("interval_seconds"));
    }

    @Test
    void grantWhenTheUserDeniedThenAccessDenied() {
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public", false);
        Started device = start(client, null);

        decide(Pages.signIn(Fixtures.newUser()), device.userCode(), "deny").then().statusCode(200)
                .body(containsString("Access denied"));

        poll(client, device.deviceCode()).spec(OAuthAnswers.error(400, "access_denied"));
    }

    @Test
    void grantWhenTheDeviceCodeExpiredThenExpiredTokenAndHousekeepingDeletesIt() {
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public", false);
        Started device = start(client, null);
        decide(Pages.signIn(Fixtures.newUser()), device.userCode(), "authorize").then().statusCode(200);
        execute("update device_authorizations set expires_at = now() - interval '1 second'"
                + " where device_code_hash = $1", Tuple.of(Secrets.sha256(device.deviceCode())));

        poll(client, device.deviceCode()).spec(OAuthAnswers.error(400, "expired_token"));

        housekeeping.run().await().atMost(Duration.ofSeconds(30));
        assertEquals(0L, count("select count(*) from device_authorizations where device_code_hash = $1",
                Tuple.of(Secrets.sha256(device.deviceCode()))));
    }

    @Test
    void grantWhenTheDeviceCodeIsUsedTwiceThenTheSecondUseIsInvalidGrant() {
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public", false);
        Started device = start(client, null);
        decide(Pages.signIn(Fixtures.newUser()), device.userCode(), "authorize").then().statusCode(200);

        poll(client, device.deviceCode()).statusCode(200);
        allowNextPoll(device.deviceCode());
        poll(client, device.deviceCode()).spec(OAuthAnswers.error(400, "invalid_grant"));
    }

    @Test
    void grantWhenAnotherClientPresentsTheDeviceCodeThenInvalidGrantAndTheCodeStillWorksForItsOwn() {
        Client owner = CodeFlow.newClient(Fixtures.newUser(), "public", false);
        Client other = CodeFlow.newClient(Fixtures.newUser(), "public", false);
        Started device = start(owner, null);
        decide(Pages.signIn(Fixtures.newUser()), device.userCode(), "authorize").then().statusCode(200);

        poll(other, device.deviceCode()).spec(OAuthAnswers.error(400, "invalid_grant"));
        poll(owner, device.deviceCode()).statusCode(200);
    }

    @Test
    void grantWhenTheDeviceCodeIsUnknownThenInvalidGrant() {
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public", false);

        poll(client, Secrets.newToken()).spec(OAuthAnswers.error(400, "invalid_grant"));
    }

    @Test
    void devicePageWhenNotSignedInThenSignInFirstAndBackWithTheCode() {
        Response page = given().redirects().follow(false).get("/device?user_code=bcdf-ghjk");

        page.then().statusCode(303);
        assertEquals("/users/sign_in?next=%2Fdevice%3Fuser_code%3DBCDF-GHJK",
                URI.create(page.getHeader("Location")).getRawPath() + "?"
                        + URI.create(page.getHeader("Location")).getRawQuery());
        given().queryParam("next", "/device?user_code=BCDF-GHJK").get("/users/sign_in").then().statusCode(200)
                .body(containsString("A device asks for access to your Storeman account."));
        String signedIn = Pages.visit("/users/sign_in").signIn(Fixtures.newUser(), "/device?user_code=BCDF-GHJK")
                .getHeader("Location");
        assertTrue(signedIn.endsWith("/device?user_code=BCDF-GHJK"), signedIn);
    }

    @Test
    void devicePageWhenSignedInThenTheFormPrefilledFromTheQueryAndNotFrameable() {
        Browser browser = Pages.signIn(Fixtures.newUser());

        browser.request().get("/device?user_code=bcdfghjk").then().statusCode(200)
                .header("Cache-Control", "no-store")
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .body(containsString("value=\"BCDF-GHJK\""));
    }

    @Test
    void devicePageWhenTheCsrfTokenIsMissingThen403AndNothingDecided() {
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public", false);
        Started device = start(client, null);
        Browser browser = Pages.signIn(Fixtures.newUser());

        browser.request().formParam("user_code", device.userCode()).formParam("decision", "authorize")
                .post("/device").then().statusCode(403);

        assertEquals("pending", row(device.deviceCode()).getString("status"));
    }

    @Test
    void devicePageWhenTheCodeIsUnknownExpiredOrDecidedThenTheSameAnswer() {
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public", false);
        Started expired = start(client, null);
        execute("update device_authorizations set expires_at = now() - interval '1 second'"
                + " where device_code_hash = $1", Tuple.of(Secrets.sha256(expired.deviceCode())));
        Started decided = start(client, null);
        decide(Pages.signIn(Fixtures.newUser()), decided.userCode(), "authorize").then().statusCode(200);
        Browser browser = Pages.signIn(Fixtures.newUser());

        String unknown = errorOf(enter(browser, "BCDF-GHJK"));
        assertEquals(unknown, errorOf(enter(browser, expired.userCode())));
        assertEquals(unknown, errorOf(enter(browser, decided.userCode())));
        assertEquals(unknown, errorOf(enter(browser, "not a code")));
        assertTrue(unknown.startsWith(INVALID_CODE), unknown);
    }

    @Test
    void devicePageWhenTheCodeIsApprovedThenItIsBoundToThatUser() {
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public", false);
        Started device = start(client, null);
        Account approver = Fixtures.newUser();
        Browser first = Pages.signIn(approver);
        Browser second = Pages.signIn(Fixtures.newUser());
        enter(first, device.userCode()).then().statusCode(200);
        enter(second, device.userCode()).then().statusCode(200);

        decide(first, device.userCode(), "authorize").then().statusCode(200);
        decide(second, device.userCode(), "authorize").then().statusCode(400)
                .body(containsString(INVALID_CODE));
        decide(second, device.userCode(), "deny").then().statusCode(400);

        String accessToken = poll(client, device.deviceCode()).statusCode(200).extract().path("access_token");
        Fixtures.me(accessToken).statusCode(200).body("id", equalTo((int) approver.id()));
    }

    @Test
    void devicePageWhenAUserEntersTooManyCodesThen429EvenForAGoodCodeAndOtherUsersUnaffected() {
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public", false);
        Started device = start(client, null);
        Browser guesser = Pages.signIn(Fixtures.newUser());
        for (int i = 0; i < 6; i++) {
            enter(guesser, "BCDF-GHJ" + "BCDFGH".charAt(i)).then().statusCode(400);
        }

        Response refused = enter(guesser, device.userCode());
        refused.then().statusCode(429).body(containsString("Too many codes entered"));
        assertTrue(Long.parseLong(refused.getHeader("Retry-After")) > 0);
        decide(guesser, device.userCode(), "authorize").then().statusCode(429);
        assertEquals("pending", row(device.deviceCode()).getString("status"));

        decide(Pages.signIn(Fixtures.newUser()), device.userCode(), "authorize").then().statusCode(200);
    }

    @Test
    void metadataWhenReadThenTheDeviceEndpointAndGrantTypeInBothDocuments() {
        for (String document : new String[] {"/.well-known/oauth-authorization-server",
            "/.well-known/openid-configuration"}) {
            given().get(document).then().statusCode(200)
                    .body("device_authorization_endpoint", equalTo("http://storeman.test/oauth/device_authorization"))
                    .body("grant_types_supported", hasItem(DeviceCodeGrant.GRANT_TYPE));
        }
    }

    private Started start(Client client, String scope) {
        var request = client.authenticated();
        if (scope != null) {
            request.formParam("scope", scope);
        }
        JsonPath json = request.post("/oauth/device_authorization").then().statusCode(200).extract().jsonPath();
        return new Started(json.getString("device_code"), json.getString("user_code"));
    }

    private static ValidatableResponse poll(Client client, String deviceCode) {
        return client.authenticated().formParam("grant_type", DeviceCodeGrant.GRANT_TYPE)
                .formParam("device_code", deviceCode).post("/oauth/token").then();
    }

    private TokenResponse nimbusPoll(Client client, DeviceCode deviceCode) throws Exception {
        return TokenResponse.parse(new TokenRequest(tokenEndpoint, new ClientID(client.clientId()),
                new com.nimbusds.oauth2.sdk.device.DeviceCodeGrant(deviceCode)).toHTTPRequest().send());
    }

    /** Posts the device page's first form: the code, to be looked up. */
    private static Response enter(Browser browser, String userCode) {
        return browser.request().formParam("_csrf", browser.csrf()).formParam("user_code", userCode)
                .post("/device");
    }

    /** Posts the consent form of the device page. */
    private static Response decide(Browser browser, String userCode, String decision) {
        return browser.request().formParam("_csrf", browser.csrf()).formParam("user_code", userCode)
                .formParam("decision", decision).post("/device");
    }

    private static String errorOf(Response page) {
        page.then().statusCode(400);
        return Pages.textOf(page.asString(), "form-error");
    }

    private void allowNextPoll(String deviceCode) {
        polledSecondsAgo(deviceCode, 3600);
    }

    private void polledSecondsAgo(String deviceCode, int seconds) {
        execute("update device_authorizations set last_polled_at = now() - make_interval(secs => $2)"
                + " where device_code_hash = $1", Tuple.of(Secrets.sha256(deviceCode), (double) seconds));
    }

    private Row row(String deviceCode) {
        Iterator<Row> rows = pool.preparedQuery("select * from device_authorizations where device_code_hash = $1")
                .execute(Tuple.of(Secrets.sha256(deviceCode))).await().atMost(Duration.ofSeconds(10)).iterator();
        assertTrue(rows.hasNext(), "the device authorization is stored");
        return rows.next();
    }

    private long count(String sql, Tuple arguments) {
        return pool.preparedQuery(sql).execute(arguments).await().atMost(Duration.ofSeconds(10)).iterator().next()
                .getLong(0);
    }

    private void execute(String sql, Tuple arguments) {
        pool.preparedQuery(sql).execute(arguments).await().atMost(Duration.ofSeconds(10));
    }
}
