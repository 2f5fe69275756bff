package io.storeman.oidc;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.AuthenticationSuccessResponse;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.claims.UserInfo;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import com.nimbusds.openid.connect.sdk.validators.AccessTokenValidator;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.storeman.oidc.OidcClients.Registration;
import io.storeman.support.Chromium;
import io.storeman.support.CodeFlow;
import io.storeman.support.CodeFlow.Client;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * "Sign in with Storeman" as a real relying party does it, end to end: Nimbus' OAuth 2.0 SDK with its OpenID Connect
 * extensions resolves the provider from its issuer alone (OpenID Connect Discovery), sends a headless Chromium
 * through the authentication request (code flow, PKCE S256, state, nonce), where the user signs in on the sign-in
 * page and presses "Authorize" on the consent page; the browser lands on the relying party's own small web server
 * ({@link Callback}), and the relying party redeems the code, validates the ID token against the JWKS, calls UserInfo,
 * refreshes and logs the user out through the end-session endpoint.
 *
 * <p>The test profile gives the server a fixed port and names it as the issuer ({@code http://localhost:<port>}), so
 * that the discovery document's URLs are the ones the relying party and the browser reach, with nothing rewritten.
 * Screenshots go to target/screenshots/oidc-*.png.
 */
@QuarkusTest
@TestProfile(OpenIdRelyingPartyTest.LocalIssuer.class)
class OpenIdRelyingPartyTest {

    @RegisterExtension
    static final Chromium browser = new Chromium("oidc");

    private static Callback callback;

    @ConfigProperty(name = "storeman.issuer")
    String issuer;

    /** This server on a fixed free port, and that address as the issuer. */
    public static class LocalIssuer implements QuarkusTestProfile {
        /** Chosen once, so that every reading of the profile names the same port. */
        private static final int PORT = freePort();

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.test-port", Integer.toString(PORT),
                    "storeman.issuer", "http://localhost:" + PORT);
        }

        private static int freePort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @BeforeAll
    static void startRelyingPartyServer() {
        callback = Callback.start();
    }

    @AfterAll
    static void stopRelyingPartyServer() {
        callback.close();
    }

    @Test
    void relyingPartyWhenUserSignsInInTheBrowserThenIdTokenUserInfoRefreshAndLogoutWork() throws Exception {
        WebDriver driver = browser.driver();
        Account user = Fixtures.newUser();
        OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(new Issuer(issuer));
        assertNotNull(metadata.getUserInfoEndpointURI(), "userinfo_endpoint");
        assertNotNull(metadata.getEndSessionEndpointURI(), "end_session_endpoint");
        URI signedOut = callback.uri("/signed-out");
        RelyingParty rp = relyingParty(metadata, Registration.redirectingTo(callbackUri()).named("Shelf Life")
                .postLogoutRedirectUris(signedOut.toString()), JWSAlgorithm.RS256);

        // The relying party sends the browser to the provider; the user signs in and authorizes.
        long beforeSignIn = Instant.now().getEpochSecond();
        Nonce nonce = new Nonce();
        CodeVerifier verifier = new CodeVerifier();
        AuthorizationCode code = signInAndAuthorize(rp, "Shelf Life", user, nonce, verifier);

        // The code redeems for tokens with an ID token that Nimbus validates against the JWKS.
        OIDCTokens tokens = rp.tokens(code, verifier);
        SignedJWT idToken = (SignedJWT) tokens.getIDToken();
        assertEquals(JWSAlgorithm.RS256, idToken.getHeader().getAlgorithm());
        IDTokenClaimsSet claims = rp.validate(idToken, nonce);
        assertEquals(issuer, claims.getIssuer().getValue());
        assertEquals(Long.toString(user.id()), claims.getSubject().getValue());
        assertEquals(rp.client().clientId(), claims.getAuthorizedParty().getValue());
        assertEquals(nonce, claims.getNonce());
        long authTime = claims.getAuthenticationTime().toInstant().getEpochSecond();
        assertTrue(authTime >= beforeSignIn && authTime <= Instant.now().getEpochSecond(), "auth_time " + authTime);
        assertDoesNotThrow(() -> AccessTokenValidator.validate(tokens.getAccessToken(), JWSAlgorithm.RS256,
                claims.getAccessTokenHash()));

        // UserInfo knows the same user.
        UserInfo userInfo = rp.userInfo(tokens.getBearerAccessToken());
        assertEquals(claims.getSubject(), userInfo.getSubject());
        assertEquals(user.email(), userInfo.getEmailAddress());
        assertEquals(false, userInfo.getEmailVerified());

        // A refresh brings a new ID token: the same user, the same sign-in, no nonce.
        OIDCTokens refreshed = rp.refresh(tokens.getRefreshToken());
        IDTokenClaimsSet again = rp.validate(refreshed.getIDToken(), null);
        assertEquals(claims.getSubject(), again.getSubject());
        assertEquals(claims.getAuthenticationTime(), again.getAuthenticationTime());
        assertNull(again.getNonce());
        assertEquals(claims.getSubject(), rp.userInfo(refreshed.getBearerAccessToken()).getSubject());

        // Logout at the end-session endpoint: back at the relying party with its state, and signed out here.
        State state = new State();
        driver.get(rp.logout(refreshed.getIDToken(), signedOut, state).toURI().toString());
        confirmLogoutIfAsked();
        browser.until(ExpectedConditions.urlMatches("^" + Pattern.quote(signedOut + "?") + ".*"));
        assertEquals(state.getValue(), CodeFlow.parameters(URI.create(driver.getCurrentUrl())).get("state"));
        driver.get(rp.request(new Scope("openid"), new State(), new Nonce(), new CodeVerifier(), more -> { })
                .toURI().toString());
        browser.until(ExpectedConditions.urlContains("/users/sign_in"));
        browser.screenshot("sign-in-after-logout");
        browser.assertNoConsoleErrors();
    }

    @Test
    void relyingPartyWhenClientRegisteredEs256ThenItsIdTokenValidatesAsEs256Only() throws Exception {
        Account user = Fixtures.newUser();
        OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(new Issuer(issuer));
        assertTrue(metadata.getIDTokenJWSAlgs().contains(JWSAlgorithm.ES256), "ES256 is offered for ID tokens");
        RelyingParty rp = relyingParty(metadata, Registration.redirectingTo(callbackUri()).named("Elliptic Notes")
                .idTokenAlgorithm("ES256"), JWSAlgorithm.ES256);
        Nonce nonce = new Nonce();
        CodeVerifier verifier = new CodeVerifier();

        OIDCTokens tokens = rp.tokens(signInAndAuthorize(rp, "Elliptic Notes", user, nonce, verifier), verifier);

        SignedJWT idToken = (SignedJWT) tokens.getIDToken();
        assertEquals(JWSAlgorithm.ES256, idToken.getHeader().getAlgorithm());
        IDTokenClaimsSet claims = rp.validate(idToken, nonce);
        assertEquals(Long.toString(user.id()), claims.getSubject().getValue());
        assertDoesNotThrow(() -> AccessTokenValidator.validate(tokens.getAccessToken(), JWSAlgorithm.ES256,
                claims.getAccessTokenHash()));
        assertThrows(BadJOSEException.class, () -> rp.validator(JWSAlgorithm.RS256).validate(idToken, nonce),
                "a validator that expects RS256 refuses it");
        assertEquals(claims.getSubject(), rp.userInfo(tokens.getBearerAccessToken()).getSubject());
        browser.assertNoConsoleErrors();
    }

    /** A redirect URI of its own on the relying party's server. */
    private static URI callbackUri() {
        return callback.uri("/callback/" + UUID.randomUUID());
    }

    /** Registers {@code registration} as a confidential client of a new owner. */
    private static RelyingParty relyingParty(OIDCProviderMetadata metadata, Registration registration,
            JWSAlgorithm algorithm) {
        Client client = OidcClients.register(Fixtures.newUser(), registration);
        return new RelyingParty(RelyingParty.Provider.of(metadata), client, algorithm);
    }

    /**
     * The browser's part: the authentication request, the sign-in page, the consent page and "Authorize"; the code
     * read off the redirect URI the browser lands on, its state and issuer checked as the relying party does.
     */
    private AuthorizationCode signInAndAuthorize(RelyingParty rp, String application, Account user, Nonce nonce,
            CodeVerifier verifier) throws Exception {
        WebDriver driver = browser.driver();
        State state = new State();
        driver.get(rp.request(new Scope("openid", "email", "public"), state, nonce, verifier, more -> { })
                .toURI().toString());
        browser.until(ExpectedConditions.urlContains("/users/sign_in"));
        browser.screenshot("sign-in");
        browser.submitSignIn(user.email(), user.password());

        WebElement authorize = browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("authorize")));
        assertEquals(application, browser.text(By.id("application-name")));
        browser.screenshot("consent");
        authorize.click();

        browser.until(ExpectedConditions.urlContains(rp.redirectUri().getPath()));
        URI landed = URI.create(driver.getCurrentUrl());
        assertTrue(landed.toString().startsWith(rp.redirectUri() + "?"), landed.toString());
        AuthenticationResponse response = AuthenticationResponseParser.parse(landed);
        assertTrue(response.indicatesSuccess(), landed.toString());
        AuthenticationSuccessResponse success = response.toSuccessResponse();
        assertEquals(state, success.getState());
        assertEquals(issuer, success.getIssuer().getValue());
        return success.getAuthorizationCode();
    }

    /**
     * The end-session endpoint may ask the user first (RP-Initiated Logout 1.0 §2 lets the provider confirm): when it
     * shows a form, the user presses its button.
     */
    private void confirmLogoutIfAsked() {
        WebDriver driver = browser.driver();
        String signedOutPrefix = callback.uri("/signed-out").toString();
        browser.until(d -> d.getCurrentUrl().startsWith(signedOutPrefix)
                || !d.findElements(By.cssSelector("form[action='/oauth/logout'] button")).isEmpty());
        if (!driver.getCurrentUrl().startsWith(signedOutPrefix)) {
            browser.screenshot("logout-confirmation");
            driver.findElement(By.cssSelector("form[action='/oauth/logout'] button")).click();
        }
    }
}
