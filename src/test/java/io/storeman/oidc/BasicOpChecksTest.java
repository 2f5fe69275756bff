package io.storeman.oidc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationErrorResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.AuthenticationResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.Prompt;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.claims.UserInfo;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import com.nimbusds.openid.connect.sdk.validators.AccessTokenValidator;
import com.nimbusds.openid.connect.sdk.validators.InvalidHashException;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.storeman.oidc.OidcClients.Registration;
import io.storeman.support.CodeFlow.Client;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The OpenID Foundation's Basic OP checks (and the Config OP's discovery ones), each its own test, against this
 * server over plain HTTP: a Nimbus relying party builds the requests and validates the answers, an {@link OidcBrowser}
 * signs in and consents as a user would. The issuer is the test profile's {@code http://storeman.test}; the
 * endpoints are this server's test address.
 */
@QuarkusTest
class BasicOpChecksTest {

    private static final String ISSUER = "http://storeman.test";
    private static final Scope OPENID_EMAIL = new Scope("openid", "email", "public");

    @TestHTTPResource("/")
    URI base;

    /** A user's way through one authentication request: the code and its verifier, the nonce it sent. */
    private record Authorized(AuthorizationCode code, CodeVerifier verifier, Nonce nonce) {
    }

    // --- nonce, aud, azp, at_hash

    @Test
    void idTokenWhenNonceSentThenEchoedExactlyAndAValidatorExpectingAnotherNonceRefusesIt() throws Exception {
        RelyingParty rp = relyingParty(Registration.on("nonce.example"));
        OidcBrowser browser = OidcBrowser.signedIn(Fixtures.newUser());
        Nonce nonce = new Nonce("n-0S6_WzA2Mj ~!*'();:@&=+$,/?#[] é " + UUID.randomUUID());

        Authorized authorized = authorize(rp, browser, nonce, more -> { });
        OIDCTokens tokens = rp.tokens(authorized.code(), authorized.verifier());

        assertEquals(nonce.getValue(), SignedJWT.parse(tokens.getIDTokenString()).getJWTClaimsSet()
                .getStringClaim("nonce"));
        assertEquals(nonce, rp.validate(tokens.getIDToken(), nonce).getNonce());
        assertThrows(BadJWTException.class, () -> rp.validate(tokens.getIDToken(), new Nonce()));
    }

    @Test
    void idTokenWhenValidatedForAnotherClientThenRefusedAndAudAndAzpAreTheClientId() throws Exception {
        Account owner = Fixtures.newUser();
        RelyingParty rp = relyingParty(owner, Registration.on("aud.example"));
        RelyingParty other = relyingParty(owner, Registration.on("aud.example"));
        SignedIn signedIn = signIn(rp, OidcBrowser.signedIn(Fixtures.newUser()));

        Map<String, Object> claims = signedIn.idToken().getPayload().toJSONObject();
        assertEquals(rp.client().clientId(), claims.get("aud"), "aud is the client id, a single string");
        assertEquals(rp.client().clientId(), claims.get("azp"));
        assertDoesNotThrow(() -> signedIn.claims(rp));
        assertThrows(BadJWTException.class, () -> signedIn.claims(other));
    }

    @Test
    void idTokenWhenIssuedWithAnAccessTokenThenAtHashIsTheLeftHalfOfItsSha256() throws Exception {
        RelyingParty rp = relyingParty(Registration.on("at-hash.example"));
        SignedIn signedIn = signIn(rp, OidcBrowser.signedIn(Fixtures.newUser()));
        OIDCTokens tokens = signedIn.tokens();
        IDTokenClaimsSet claims = signedIn.claims(rp);

        assertEquals(atHash(tokens.getAccessToken().getValue()), claims.getAccessTokenHash().getValue());
        assertDoesNotThrow(() -> AccessTokenValidator.validate(tokens.getAccessToken(), JWSAlgorithm.RS256,
                claims.getAccessTokenHash()));
        OIDCTokens refreshed = rp.refresh(tokens.getRefreshToken());
        assertThrows(InvalidHashException.class, () -> AccessTokenValidator.validate(refreshed.getAccessToken(),
                JWSAlgorithm.RS256, claims.getAccessTokenHash()), "the hash binds one access token");
    }

    // --- prompt, max_age, login_hint

    @Test
    void authorizeWhenPromptNoneAndNoSessionThenRedirectWithLoginRequiredNeverAPage() throws Exception {
        RelyingParty rp = relyingParty(Registration.on("prompt-none.example"));
        State state = new State();
        AuthenticationRequest request = rp.request(OPENID_EMAIL, state, new Nonce(), new CodeVerifier(),
                more -> more.prompt(new Prompt(Prompt.Type.NONE)));

        Response answer = given().redirects().follow(false).urlEncodingEnabled(false)
                .get(pathOf(request.toURI()));

        assertTrue(answer.statusCode() == 302 || answer.statusCode() == 303, answer.asString());
        URI redirect = URI.create(answer.header("Location"));
        assertTrue(redirect.toString().startsWith(rp.client().redirectUri() + "?"), redirect.toString());
        AuthenticationErrorResponse error = AuthenticationResponseParser.parse(redirect).toErrorResponse();
        assertEquals("login_required", error.getErrorObject().getCode());
        assertEquals(state, error.getState());
    }

    @Test
    void authorizeWhenPromptNoneSignedInButNoConsentThenConsentRequiredAndAfterConsentACode() throws Exception {
        RelyingParty rp = relyingParty(Registration.on("prompt-none-consent.example"));
        OidcBrowser browser = OidcBrowser.signedIn(Fixtures.newUser());
        Consumer<AuthenticationRequest.Builder> none = more -> more.prompt(new Prompt(Prompt.Type.NONE));

        AuthenticationResponse refused = AuthenticationResponseParser.parse(browser.authorizing(false)
                .visit(rp.request(OPENID_EMAIL, new State(), new Nonce(), new CodeVerifier(), none).toURI())
                .redirect());
        assertEquals("consent_required", refused.toErrorResponse().getErrorObject().getCode());

        signIn(rp, browser.authorizing(true));
        URI redirect = browser.authorizing(false)
                .visit(rp.request(OPENID_EMAIL, new State(), new Nonce(), new CodeVerifier(), none).toURI())
                .redirect();
        assertTrue(AuthenticationResponseParser.parse(redirect).indicatesSuccess(), redirect.toString());
        assertEquals(1, browser.signIns());
    }

    @Test
    void authorizeWhenPromptValueUnsupportedOrNoneWithAnotherThenInvalidRequest() throws Exception {
        RelyingParty rp = relyingParty(Registration.on("prompt-bad.example"));
        OidcBrowser browser = OidcBrowser.signedIn(Fixtures.newUser()).authorizing(false);
        for (String prompt : List.of("bogus", "none login", "none consent")) {
            State state = new State();
            URI request = rp.request(OPENID_EMAIL, state, new Nonce(), new CodeVerifier(), more -> { }).toURI();
            URI redirect = browser.visit(request + "&prompt=" + URLEncoder.encode(prompt, StandardCharsets.UTF_8))
                    .redirect();
            AuthenticationErrorResponse error = AuthenticationResponseParser.parse(redirect).toErrorResponse();
            assertEquals("invalid_request", error.getErrorObject().getCode(), prompt);
            assertEquals(state, error.getState(), prompt);
        }
        assertEquals(1, browser.signIns(), "never asked to sign in");
    }

    @Test
    void authorizeWhenMaxAgeZeroThenSignInAgainAndAuthTimeIsFresh() throws Exception {
        RelyingParty rp = relyingParty(Registration.on("max-age.example"));
        OidcBrowser browser = OidcBrowser.signedIn(Fixtures.newUser());
        IDTokenClaimsSet first = signIn(rp, browser).claims(rp);
        assertEquals(1, browser.signIns());
        Thread.sleep(1_100);
        long beforeSecondSignIn = Instant.now().getEpochSecond();

        SignedIn again = signIn(rp, browser, more -> more.maxAge(0));

        assertEquals(2, browser.signIns(), "max_age=0 asked for the password again");
        long authTime = again.claims(rp).getAuthenticationTime().toInstant().getEpochSecond();
        assertTrue(authTime >= beforeSecondSignIn, authTime + " < " + beforeSecondSignIn);
        assertTrue(authTime > first.getAuthenticationTime().toInstant().getEpochSecond());
        assertTrue(authTime <= Instant.now().getEpochSecond());
    }

    @Test
    void authorizeWhenPromptLoginThenSignInAgainEvenWithASession() throws Exception {
        RelyingParty rp = relyingParty(Registration.on("prompt-login.example"));
        OidcBrowser browser = OidcBrowser.signedIn(Fixtures.newUser());
        signIn(rp, browser);

        signIn(rp, browser, more -> more.prompt(new Prompt(Prompt.Type.LOGIN)));

        assertEquals(2, browser.signIns());
    }

    @Test
    void authorizeWhenMaxAgeLongerThanTheSessionThenNoNewSignIn() throws Exception {
        RelyingParty rp = relyingParty(Registration.on("max-age-fresh.example"));
        OidcBrowser browser = OidcBrowser.signedIn(Fixtures.newUser());
        IDTokenClaimsSet first = signIn(rp, browser).claims(rp);

        IDTokenClaimsSet again = signIn(rp, browser, more -> more.maxAge(3600)).claims(rp);

        assertEquals(1, browser.signIns());
        assertEquals(first.getAuthenticationTime(), again.getAuthenticationTime());
    }

    @Test
    void authorizeWhenPromptConsentOrSelectAccountThenTheConsentPageAlthoughConsentWasGiven() throws Exception {
        RelyingParty rp = relyingParty(Registration.on("prompt-consent.example"));
        OidcBrowser browser = OidcBrowser.signedIn(Fixtures.newUser());
        signIn(rp, browser);
        browser.authorizing(false);

        for (Prompt.Type prompt : List.of(Prompt.Type.CONSENT, Prompt.Type.SELECT_ACCOUNT)) {
            OidcBrowser.Outcome outcome = browser.visit(rp.request(OPENID_EMAIL, new State(), new Nonce(),
                    new CodeVerifier(), more -> more.prompt(new Prompt(prompt))).toURI());
            assertFalse(outcome.redirected(), prompt + " showed no page");
            assertEquals(200, outcome.status(), prompt.toString());
            assertTrue(outcome.page().contains("id=\"authorize\""), prompt + ": the consent page");
        }
        assertEquals(1, browser.signIns());
    }

    @Test
    void authorizeWhenPromptNoneWithAnIdTokenHintThenACodeForItsUserAndLoginRequiredForAnother() throws Exception {
        RelyingParty rp = relyingParty(Registration.on("hint.example"));
        OidcBrowser browser = OidcBrowser.signedIn(Fixtures.newUser());
        SignedIn own = signIn(rp, browser);
        SignedIn someoneElses = signIn(rp, OidcBrowser.signedIn(Fixtures.newUser()));
        browser.authorizing(false);

        URI withOwn = browser.visit(rp.request(OPENID_EMAIL, new State(), new Nonce(), new CodeVerifier(),
                more -> more.prompt(new Prompt(Prompt.Type.NONE)).idTokenHint(own.idToken())).toURI()).redirect();
        assertTrue(AuthenticationResponseParser.parse(withOwn).indicatesSuccess(), withOwn.toString());
        URI withOther = browser.visit(rp.request(OPENID_EMAIL, new State(), new Nonce(), new CodeVerifier(),
                more -> more.prompt(new Prompt(Prompt.Type.NONE)).idTokenHint(someoneElses.idToken())).toURI())
                .redirect();
        assertEquals("login_required", AuthenticationResponseParser.parse(withOther).toErrorResponse()
                .getErrorObject().getCode());
    }

    @Test
    void authorizeWhenRequestRequestUriOrRegistrationThenRefusedByName() throws Exception {
        RelyingParty rp = relyingParty(Registration.on("request-object.example"));
        OidcBrowser browser = OidcBrowser.signedIn(Fixtures.newUser()).authorizing(false);
        Map<String, String> refusals = Map.of("request", "request_not_supported",
                "request_uri", "request_uri_not_supported", "registration", "registration_not_supported");
        for (Map.Entry<String, String> refusal : refusals.entrySet()) {
            State state = new State();
            URI request = rp.request(OPENID_EMAIL, state, new Nonce(), new CodeVerifier(), more -> { }).toURI();
            AuthenticationErrorResponse error = AuthenticationResponseParser.parse(browser.visit(request + "&"
                    + refusal.getKey() + "=" + URLEncoder.encode("https://rp.example/x", StandardCharsets.UTF_8))
                    .redirect()).toErrorResponse();
            assertEquals(refusal.getValue(), error.getErrorObject().getCode(), refusal.getKey());
            assertEquals(state, error.getState());
        }
    }

    @Test
    void authorizeWhenLoginHintThenTheSignInFormIsPrefilled() throws Exception {
        Account user = Fixtures.newUser();
        RelyingParty rp = relyingParty(Registration.on("login-hint.example"));
        OidcBrowser browser = new OidcBrowser(user);

        signIn(rp, browser, more -> more.loginHint(user.email()));

        assertEquals(1, browser.signIns());
        assertEquals(user.email(), browser.prefilledEmail());
    }

    // --- codes, refresh, scope

    @Test
    void tokenWhenCodeReplayedThenInvalidGrantAndTheFirstTokensAreRevoked() throws Exception {
        RelyingParty rp = relyingParty(Registration.on("replay.example"));
        Authorized authorized = authorize(rp, OidcBrowser.signedIn(Fixtures.newUser()), new Nonce(), more -> { });
        OIDCTokens first = rp.tokens(authorized.code(), authorized.verifier());
        given().auth().oauth2(first.getAccessToken().getValue()).get("/api/v1/me").then().statusCode(200);

        TokenResponse replayed = rp.redeem(authorized.code(), authorized.verifier());

        assertFalse(replayed.indicatesSuccess());
        assertEquals("invalid_grant", replayed.toErrorResponse().getErrorObject().getCode());
        given().auth().oauth2(first.getAccessToken().getValue()).get("/api/v1/me").then().statusCode(401);
        given().auth().oauth2(first.getAccessToken().getValue()).get("/userinfo").then().statusCode(401);
        Fixtures.refresh(rp.client().app(), first.getRefreshToken().getValue(), null).statusCode(400)
                .body("error", equalTo("invalid_grant"));
    }

    @Test
    void refreshWhenOpenidGrantThenANewIdTokenWithTheSameSubAndAuthTimeAndNoNonce() throws Exception {
        RelyingParty rp = relyingParty(Registration.on("refresh.example"));
        SignedIn signedIn = signIn(rp, OidcBrowser.signedIn(Fixtures.newUser()));
        IDTokenClaimsSet first = signedIn.claims(rp);
        Thread.sleep(1_100);

        OIDCTokens refreshed = rp.refresh(signedIn.tokens().getRefreshToken());

        IDTokenClaimsSet second = rp.validate(refreshed.getIDToken(), null);
        assertEquals(first.getSubject(), second.getSubject());
        assertEquals(first.getAuthenticationTime(), second.getAuthenticationTime());
        assertNull(second.getNonce(), "no nonce on refresh");
        assertTrue(second.getIssueTime().after(first.getIssueTime()), "a new ID token");
        assertEquals(atHash(refreshed.getAccessToken().getValue()), second.getAccessTokenHash().getValue());
    }

    @Test
    void tokenWhenScopeLacksOpenidThenNoIdToken() throws Exception {
        RelyingParty rp = relyingParty(Registration.on("no-openid.example"));
        OidcBrowser browser = OidcBrowser.signedIn(Fixtures.newUser());
        CodeVerifier verifier = new CodeVerifier();
        URI redirect = browser.visit(new com.nimbusds.oauth2.sdk.AuthorizationRequest.Builder(
                com.nimbusds.oauth2.sdk.ResponseType.CODE, rp.clientId())
                .endpointURI(rp.provider().authorizationEndpoint())
                .redirectionURI(rp.redirectUri())
                .scope(new Scope("public"))
                .state(new State())
                .codeChallenge(verifier, com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod.S256)
                .build().toURI()).redirect();
        AuthorizationCode code = AuthenticationResponseParser.parse(redirect).toSuccessResponse()
                .getAuthorizationCode();

        TokenResponse response = rp.redeem(code, verifier);

        assertTrue(response.indicatesSuccess());
        assertFalse(response.toSuccessResponse().toJSONObject().containsKey("id_token"));
    }

    // --- UserInfo and sub

    @Test
    void userInfoWhenEmailScopeThenEmailUnverifiedAndWithoutItOnlySub() throws Exception {
        Account user = Fixtures.newUser();
        RelyingParty rp = relyingParty(Registration.on("userinfo.example"));
        OidcBrowser browser = OidcBrowser.signedIn(user);
        SignedIn withEmail = signIn(rp, browser);
        OIDCTokens withoutEmail = signIn(rp, browser, more -> { }, new Scope("openid", "public")).tokens();

        UserInfo full = rp.userInfo(withEmail.tokens().getBearerAccessToken());
        assertEquals(withEmail.claims(rp).getSubject(), full.getSubject());
        assertEquals(user.email(), full.getEmailAddress());
        assertEquals(false, full.getEmailVerified());
        UserInfo bare = rp.userInfo(withoutEmail.getBearerAccessToken());
        assertEquals(full.getSubject(), bare.getSubject());
        assertEquals(Set.of("sub"), bare.toJSONObject().keySet());
    }

    @Test
    void subWhenIdTokenUserInfoOrAccessTokenThenNeverTheEmail() throws Exception {
        Account user = Fixtures.newUser();
        RelyingParty rp = relyingParty(Registration.on("sub.example"));
        SignedIn signedIn = signIn(rp, OidcBrowser.signedIn(user));
        OIDCTokens tokens = signedIn.tokens();

        String sub = signedIn.claims(rp).getSubject().getValue();
        assertEquals(Long.toString(user.id()), sub, "a public sub is the account's id, as in access tokens");
        assertNotEquals(user.email(), sub);
        assertFalse(sub.contains("@"), sub);
        assertEquals(sub, rp.userInfo(tokens.getBearerAccessToken()).getSubject().getValue());
        assertEquals(sub, SignedJWT.parse(tokens.getAccessToken().getValue()).getJWTClaimsSet().getSubject());
    }

    @Test
    void subWhenPairwiseThenDiffersBetweenHostsAndIsStableForOneClientAndItsSector() throws Exception {
        Account user = Fixtures.newUser();
        Account owner = Fixtures.newUser();
        String hostA = "a-" + UUID.randomUUID() + ".example";
        RelyingParty a = relyingParty(owner, Registration.on(hostA).subjectType("pairwise"));
        RelyingParty b = relyingParty(owner, Registration.on("b-" + UUID.randomUUID() + ".example")
                .subjectType("pairwise"));
        RelyingParty sameSector = relyingParty(owner, Registration.on(hostA).subjectType("pairwise"));
        OidcBrowser browser = OidcBrowser.signedIn(user);

        SignedIn first = signIn(a, browser);
        String subA = first.claims(a).getSubject().getValue();
        String subAAgain = signIn(a, browser).claims(a).getSubject().getValue();
        String subB = signIn(b, browser).claims(b).getSubject().getValue();
        String subSameSector = signIn(sameSector, browser).claims(sameSector).getSubject().getValue();

        assertEquals(subA, subAAgain, "stable for one client");
        assertNotEquals(subA, subB, "two hosts cannot correlate the user");
        assertEquals(subA, subSameSector, "one sector (host), one sub");
        for (String sub : List.of(subA, subB)) {
            assertNotEquals(Long.toString(user.id()), sub);
            assertFalse(sub.contains(user.email()), sub);
        }
        assertEquals(subA, a.userInfo(first.tokens().getBearerAccessToken()).getSubject().getValue(),
                "UserInfo's sub is the ID token's");
        assertEquals(subA, a.validate(a.refresh(first.tokens().getRefreshToken()).getIDToken(), null)
                .getSubject().getValue());
    }

    // --- logout

    @Test
    void logoutWhenPostLogoutRedirectUriNotRegisteredThenErrorPageAndNoRedirect() throws Exception {
        String registered = "https://logout.example/signed-out";
        RelyingParty rp = relyingParty(Registration.on("logout.example").postLogoutRedirectUris(registered));
        OidcBrowser browser = OidcBrowser.signedIn(Fixtures.newUser());
        OIDCTokens tokens = signIn(rp, browser).tokens();

        for (String unregistered : List.of("https://evil.example/signed-out", registered + "/more",
                registered + "?x=1", "https://LOGOUT.example/signed-out", rp.client().redirectUri())) {
            URI logout = rp.logout(tokens.getIDToken(), URI.create(unregistered), new State("s")).toURI();
            Response answer = browser.request().get(pathOf(logout));
            assertTrue(answer.statusCode() >= 400 && answer.statusCode() < 500, unregistered + ": "
                    + answer.statusCode());
            assertNull(answer.header("Location"), unregistered);
            assertTrue(answer.contentType().startsWith("text/html"), answer.contentType());
            assertFalse(answer.asString().contains("evil.example"), "the page does not offer the link");
        }
    }

    // --- discovery

    @Test
    void discoveryWhenReadThenAgreesWithTheRfc8414DocumentAndItsJwksServesEveryIdTokenAlgorithm() throws Exception {
        JsonPath discovery = given().get("/.well-known/openid-configuration").then().statusCode(200)
                .contentType("application/json")
                .body("issuer", equalTo(ISSUER))
                .body("userinfo_endpoint", equalTo(ISSUER + "/userinfo"))
                .body("end_session_endpoint", equalTo(ISSUER + "/oauth/logout"))
                .body("jwks_uri", equalTo(ISSUER + "/.well-known/jwks.json"))
                .body("response_types_supported", equalTo(List.of("code")))
                .body("scopes_supported", hasItems("openid", "email", "public", "read_items", "write_items",
                        "read_spaces", "write_spaces"))
                .body("subject_types_supported", hasItems("public", "pairwise"))
                .body("id_token_signing_alg_values_supported", hasItems("RS256", "ES256"))
                .body("claims_supported", hasItems("sub", "iss", "aud", "exp", "iat", "auth_time", "nonce",
                        "email", "email_verified"))
                .body("code_challenge_methods_supported", equalTo(List.of("S256")))
                .extract().jsonPath();
        Map<String, Object> oidc = discovery.getMap("");
        Map<String, Object> oauth = given().get("/.well-known/oauth-authorization-server").then().statusCode(200)
                .extract().jsonPath().getMap("");

        for (String field : oidc.keySet()) {
            if (oauth.containsKey(field)) {
                assertEquals(oauth.get(field), oidc.get(field), field);
            }
        }
        for (String endpoint : List.of("userinfo_endpoint", "end_session_endpoint")) {
            assertEquals(oidc.get(endpoint), oauth.get(endpoint), endpoint + " is in both documents");
        }
        OIDCProviderMetadata metadata = OIDCProviderMetadata.parse(discovery.prettify());
        assertEquals(ISSUER, metadata.getIssuer().getValue());

        String jwksPath = URI.create(discovery.getString("jwks_uri")).getRawPath();
        JWKSet keys = JWKSet.parse(given().get(jwksPath).then().statusCode(200).extract().asString());
        for (String algorithm : discovery.getList("id_token_signing_alg_values_supported", String.class)) {
            List<JWK> signing = keys.getKeys().stream()
                    .filter(key -> algorithm.equals(key.getAlgorithm() == null ? null : key.getAlgorithm().getName()))
                    .filter(key -> KeyUse.SIGNATURE.equals(key.getKeyUse()))
                    .toList();
            assertFalse(signing.isEmpty(), "the JWKS has a key for " + algorithm);
            signing.forEach(key -> assertNotNull(key.getKeyID(), algorithm));
        }
    }

    @Test
    void idTokenWhenClientRegisteredEs256ThenSignedEs256WithAPublishedKeyAndTypJwt() throws Exception {
        RelyingParty rp = new RelyingParty(provider(), OidcClients.register(Fixtures.newUser(),
                Registration.on("es256.example").idTokenAlgorithm("ES256")), JWSAlgorithm.ES256);
        SignedIn signedIn = signIn(rp, OidcBrowser.signedIn(Fixtures.newUser()));
        SignedJWT idToken = signedIn.idToken();

        assertEquals(JWSAlgorithm.ES256, idToken.getHeader().getAlgorithm());
        assertEquals(JOSEObjectType.JWT, idToken.getHeader().getType());
        assertNotNull(idToken.getHeader().getKeyID());
        assertDoesNotThrow(() -> signedIn.claims(rp));
        assertThrows(BadJOSEException.class, () -> rp.validator(JWSAlgorithm.RS256)
                .validate(idToken, signedIn.nonce()));
        assertEquals(atHash(signedIn.tokens().getAccessToken().getValue()),
                idToken.getJWTClaimsSet().getStringClaim("at_hash"), "ES256's hash is SHA-256 too");
    }

    // --- helpers

    /** The tokens of one whole sign-in, and the nonce its request sent. */
    private record SignedIn(OIDCTokens tokens, Nonce nonce) {

        /** The ID token's claims, validated by {@code rp} with the nonce of the request. */
        IDTokenClaimsSet claims(RelyingParty rp) throws Exception {
            return rp.validate(tokens.getIDToken(), nonce);
        }

        SignedJWT idToken() {
            return (SignedJWT) tokens.getIDToken();
        }
    }

    private RelyingParty.Provider provider() {
        return RelyingParty.Provider.at(base, ISSUER);
    }

    private RelyingParty relyingParty(Registration registration) {
        return relyingParty(Fixtures.newUser(), registration);
    }

    private RelyingParty relyingParty(Account owner, Registration registration) {
        Client client = OidcClients.register(owner, registration);
        return new RelyingParty(provider(), client, JWSAlgorithm.parse(registration.idTokenAlgorithm()));
    }

    /** The browser goes through an authentication request of {@code rp} and comes back with a code. */
    private Authorized authorize(RelyingParty rp, OidcBrowser browser, Nonce nonce,
            Consumer<AuthenticationRequest.Builder> more) throws Exception {
        return authorize(rp, browser, nonce, more, OPENID_EMAIL);
    }

    private Authorized authorize(RelyingParty rp, OidcBrowser browser, Nonce nonce,
            Consumer<AuthenticationRequest.Builder> more, Scope scope) throws Exception {
        State state = new State();
        CodeVerifier verifier = new CodeVerifier();
        URI redirect = browser.visit(rp.request(scope, state, nonce, verifier, more).toURI()).redirect();
        AuthenticationResponse response = AuthenticationResponseParser.parse(redirect);
        assertTrue(response.indicatesSuccess(), redirect.toString());
        assertEquals(state, response.getState());
        return new Authorized(response.toSuccessResponse().getAuthorizationCode(), verifier, nonce);
    }

    /** A whole sign-in of the code flow with a fresh nonce: the tokens, ID token included. */
    private SignedIn signIn(RelyingParty rp, OidcBrowser browser) throws Exception {
        return signIn(rp, browser, more -> { });
    }

    private SignedIn signIn(RelyingParty rp, OidcBrowser browser, Consumer<AuthenticationRequest.Builder> more)
            throws Exception {
        return signIn(rp, browser, more, OPENID_EMAIL);
    }

    private SignedIn signIn(RelyingParty rp, OidcBrowser browser, Consumer<AuthenticationRequest.Builder> more,
            Scope scope) throws Exception {
        Authorized authorized = authorize(rp, browser, new Nonce(), more, scope);
        return new SignedIn(rp.tokens(authorized.code(), authorized.verifier()), authorized.nonce());
    }

    /** {@code at_hash} as OpenID Connect Core §3.1.3.6 defines it for SHA-256 algorithms. */
    private static String atHash(String accessToken) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII));
        return Base64URL.encode(Arrays.copyOf(digest, 16)).toString();
    }

    private static String pathOf(URI uri) {
        return uri.getRawPath() + "?" + uri.getRawQuery();
    }
}
