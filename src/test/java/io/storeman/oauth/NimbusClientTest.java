package io.storeman.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.storeman.support.CodeFlow;
import io.storeman.support.CodeFlow.Client;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A real client library, not our code, runs each flow: Nimbus OAuth 2.0 SDK for the authorization code with PKCE,
 * refresh, introspection and revocation, and Nimbus JOSE + JWT's remote JWK set to verify our tokens as a resource
 * server elsewhere would. Only the browser step (the consent page) is replaced by the service it will call.
 */
@QuarkusTest
class NimbusClientTest {

    private static final String ISSUER = "http://storeman.test";

    @TestHTTPResource("/oauth/authorize")
    URI authorizeEndpoint;

    @TestHTTPResource("/oauth/token")
    URI tokenEndpoint;

    @TestHTTPResource("/oauth/introspect")
    URI introspectionEndpoint;

    @TestHTTPResource("/oauth/revoke")
    URI revocationEndpoint;

    @TestHTTPResource("/.well-known/jwks.json")
    URL jwksUrl;

    @Inject
    CodeFlow flow;

    @Test
    void authorizationCodeWithPkceThenRefreshIntrospectAndRevokeWithNimbus() throws Exception {
        Account user = Fixtures.newUser();
        Client client = CodeFlow.newClient(Fixtures.newUser(), Fixtures.ALL_SCOPES, true);
        ClientAuthentication clientAuth = new ClientSecretBasic(new ClientID(client.clientId()),
                new Secret(client.clientSecret()));
        URI redirectUri = URI.create(client.redirectUri());
        CodeVerifier verifier = new CodeVerifier();
        State state = new State();

        AuthorizationRequest request = new AuthorizationRequest.Builder(ResponseType.CODE,
                new ClientID(client.clientId()))
                .endpointURI(authorizeEndpoint)
                .redirectionURI(redirectUri)
                .scope(new Scope("public", "read_items"))
                .state(state)
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build();
        // The consent page's "Authorize", through the service it will call.
        URI redirect = flow.approve(user, request.toParameters());

        AuthorizationResponse response = AuthorizationResponse.parse(redirect);
        assertTrue(response.indicatesSuccess());
        AuthorizationSuccessResponse success = response.toSuccessResponse();
        assertEquals(state, success.getState());
        assertEquals(ISSUER, success.getIssuer().getValue());
        AuthorizationCode code = success.getAuthorizationCode();

        Tokens tokens = token(new TokenRequest(tokenEndpoint, clientAuth,
                new AuthorizationCodeGrant(code, redirectUri, verifier)));
        assertEquals(new Scope("public", "read_items"), tokens.getAccessToken().getScope());
        assertNotNull(tokens.getRefreshToken());

        JWTClaimsSet claims = resourceServer().process(tokens.getAccessToken().getValue(), null);
        assertEquals(Long.toString(user.id()), claims.getSubject());
        assertEquals(client.clientId(), claims.getStringClaim("client_id"));

        TokenIntrospectionSuccessResponse introspection = introspect(clientAuth, tokens.getAccessToken());
        assertTrue(introspection.isActive());
        assertEquals(new Scope("public", "read_items"), introspection.getScope());
        assertEquals(client.clientId(), introspection.getClientID().getValue());
        assertEquals(user.email(), introspection.getUsername());
        assertEquals(Long.toString(user.id()), introspection.getSubject().getValue());
        assertEquals(ISSUER, introspection.getIssuer().getValue());

        Tokens refreshed = token(new TokenRequest(tokenEndpoint, clientAuth,
                new RefreshTokenGrant(tokens.getRefreshToken())));
        assertNotEquals(tokens.getRefreshToken(), refreshed.getRefreshToken());
        assertFalse(introspect(clientAuth, tokens.getAccessToken()).isActive(), "rotation retires the old pair");
        assertFalse(introspect(clientAuth, tokens.getRefreshToken()).isActive());
        assertTrue(introspect(clientAuth, refreshed.getRefreshToken()).isActive());

        HTTPResponse revoked = new TokenRevocationRequest(revocationEndpoint, clientAuth,
                refreshed.getRefreshToken()).toHTTPRequest().send();
        assertEquals(200, revoked.getStatusCode());
        assertFalse(introspect(clientAuth, refreshed.getRefreshToken()).isActive());
        assertFalse(introspect(clientAuth, refreshed.getAccessToken()).isActive());
    }

    @Test
    void authorizationCodeWhenPublicClientThenNimbusRedeemsWithClientIdAndVerifierOnly() throws Exception {
        Account user = Fixtures.newUser();
        Client client = CodeFlow.newClient(user, "public read_spaces", false);
        URI redirectUri = URI.create(client.redirectUri());
        CodeVerifier verifier = new CodeVerifier();
        AuthorizationRequest request = new AuthorizationRequest.Builder(ResponseType.CODE,
                new ClientID(client.clientId()))
                .endpointURI(authorizeEndpoint)
                .redirectionURI(redirectUri)
                .scope(new Scope("read_spaces"))
                .state(new State())
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build();
        AuthorizationCode code = AuthorizationResponse.parse(flow.approve(user, request.toParameters()))
                .toSuccessResponse().getAuthorizationCode();

        Tokens tokens = token(new TokenRequest(tokenEndpoint, new ClientID(client.clientId()),
                new AuthorizationCodeGrant(code, redirectUri, verifier)));

        assertEquals(new Scope("read_spaces"), tokens.getAccessToken().getScope());
        assertEquals("read_spaces", resourceServer().process(tokens.getAccessToken().getValue(), null)
                .getStringClaim("scope"));
    }

    @Test
    void authorizationCodeWhenNimbusSendsAnotherVerifierThenInvalidGrant() throws Exception {
        Account user = Fixtures.newUser();
        Client client = CodeFlow.newClient(user, "public", true);
        URI redirectUri = URI.create(client.redirectUri());
        AuthorizationRequest request = new AuthorizationRequest.Builder(ResponseType.CODE,
                new ClientID(client.clientId()))
                .redirectionURI(redirectUri)
                .codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256)
                .build();
        AuthorizationCode code = AuthorizationResponse.parse(flow.approve(user, request.toParameters()))
                .toSuccessResponse().getAuthorizationCode();

        TokenResponse response = TokenResponse.parse(new TokenRequest(tokenEndpoint,
                new ClientSecretPost(new ClientID(client.clientId()), new Secret(client.clientSecret())),
                new AuthorizationCodeGrant(code, redirectUri, new CodeVerifier())).toHTTPRequest().send());

        assertFalse(response.indicatesSuccess());
        TokenErrorResponse error = response.toErrorResponse();
        assertEquals("invalid_grant", error.getErrorObject().getCode());
    }

    @Test
    void remoteJwkSetWhenTokenTamperedOrMistypedThenRejected() throws Exception {
        Account user = Fixtures.newUser();
        Fixtures.App app = Fixtures.newApp(user, "public");
        String token = Fixtures.passwordTokens(app, user, null).accessToken();
        String[] parts = token.split("\\.");
        String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();

        assertEquals(Long.toString(user.id()), resourceServer().process(token, null).getSubject());
        assertThrows(BadJOSEException.class, () -> resourceServer().process(tampered, null));
        DefaultJWTProcessor<SecurityContext> expectsJwt = resourceServer();
        expectsJwt.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT));
        assertThrows(BadJOSEException.class, () -> expectsJwt.process(token, null));
    }

    /** A resource server elsewhere: our JWKS by URL (cached, refreshed on an unknown kid), ES256, RFC 9068 checks. */
    private DefaultJWTProcessor<SecurityContext> resourceServer() {
        JWKSource<SecurityContext> keys = JWKSourceBuilder.create(jwksUrl).retrying(true).build();
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, keys));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>("storeman-api",
                new JWTClaimsSet.Builder().issuer(ISSUER).build(),
                Set.of("sub", "client_id", "scope", "iat", "exp", "jti")));
        return processor;
    }

    private static Tokens token(TokenRequest request) throws Exception {
        TokenResponse response = TokenResponse.parse(request.toHTTPRequest().send());
        if (!response.indicatesSuccess()) {
            throw new AssertionError("token request failed: " + response.toErrorResponse().getErrorObject());
        }
        AccessTokenResponse success = response.toSuccessResponse();
        return success.getTokens();
    }

    private TokenIntrospectionSuccessResponse introspect(ClientAuthentication clientAuth, AccessToken token)
            throws Exception {
        return introspect(new TokenIntrospectionRequest(introspectionEndpoint, clientAuth, token));
    }

    private TokenIntrospectionSuccessResponse introspect(ClientAuthentication clientAuth, RefreshToken token)
            throws Exception {
        return introspect(new TokenIntrospectionRequest(introspectionEndpoint, clientAuth, token));
    }

    private static TokenIntrospectionSuccessResponse introspect(TokenIntrospectionRequest request)
            throws Exception {
        TokenIntrospectionResponse response = TokenIntrospectionResponse.parse(request.toHTTPRequest().send());
        assertTrue(response.indicatesSuccess(), "introspection answered 200");
        return response.toSuccessResponse();
    }
}
