package io.storeman.oidc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.claims.UserInfo;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import io.storeman.support.CodeFlow.Client;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.util.function.Consumer;

/**
 * A relying party built only from Nimbus' OAuth 2.0 SDK with its OpenID Connect extensions, as an application that
 * signs its users in with Storeman would be: it knows the provider by its metadata, one registered client (its id,
 * secret, redirect URI and ID-token algorithm), and does nothing Storeman-specific. Test code; nothing of it ships.
 */
public final class RelyingParty {

    /** Where the provider's endpoints are, and the issuer its ID tokens must name. */
    public record Provider(Issuer issuer, URI authorizationEndpoint, URI tokenEndpoint, URI userInfoEndpoint,
            URI endSessionEndpoint, URL jwksUrl) {

        /** From the discovery document, as a relying party finds the provider. */
        public static Provider of(OIDCProviderMetadata metadata) {
            return new Provider(metadata.getIssuer(), metadata.getAuthorizationEndpointURI(),
                    metadata.getTokenEndpointURI(), metadata.getUserInfoEndpointURI(),
                    metadata.getEndSessionEndpointURI(), url(metadata.getJWKSetURI()));
        }

        /**
         * This server at its test address ({@code base}, e.g. {@code http://localhost:8081/}), with the issuer the
         * test profile configures: the discovery document names the issuer's host, which only a test profile with a
         * fixed port could make reachable.
         */
        public static Provider at(URI base, String issuer) {
            return new Provider(new Issuer(issuer), base.resolve("oauth/authorize"), base.resolve("oauth/token"),
                    base.resolve("userinfo"), base.resolve("oauth/logout"),
                    url(base.resolve(".well-known/jwks.json")));
        }
    }

    private final Provider provider;
    private final Client client;
    private final JWSAlgorithm algorithm;

    public RelyingParty(Provider provider, Client client, JWSAlgorithm algorithm) {
        this.provider = provider;
        this.client = client;
        this.algorithm = algorithm;
    }

    public Provider provider() {
        return provider;
    }

    public Client client() {
        return client;
    }

    public ClientID clientId() {
        return new ClientID(client.clientId());
    }

    public URI redirectUri() {
        return URI.create(client.redirectUri());
    }

    /**
     * An authentication request of the code flow (OpenID Connect Core §3.1.2.1) with S256 PKCE, state and nonce;
     * {@code more} adds what a test needs (prompt, max_age, login_hint ...).
     */
    public AuthenticationRequest request(Scope scope, State state, Nonce nonce, CodeVerifier verifier,
            Consumer<AuthenticationRequest.Builder> more) {
        AuthenticationRequest.Builder builder = new AuthenticationRequest.Builder(ResponseType.CODE, scope,
                clientId(), redirectUri())
                .endpointURI(provider.authorizationEndpoint())
                .state(state)
                .nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256);
        more.accept(builder);
        return builder.build();
    }

    /** The token endpoint's answer to redeeming {@code code}, as Nimbus parses it. */
    public TokenResponse redeem(AuthorizationCode code, CodeVerifier verifier) {
        return token(new AuthorizationCodeGrant(code, redirectUri(), verifier));
    }

    /** The tokens {@code code} redeems for, ID token included; the test fails on an error answer. */
    public OIDCTokens tokens(AuthorizationCode code, CodeVerifier verifier) {
        return success(redeem(code, verifier));
    }

    /** The tokens a refresh gives, ID token included; the test fails on an error answer. */
    public OIDCTokens refresh(RefreshToken refreshToken) {
        return success(token(new RefreshTokenGrant(refreshToken)));
    }

    /** Nimbus' validator for this client: signature by the JWKS ({@link #algorithm} only), iss, aud, azp, exp, iat. */
    public IDTokenValidator validator() {
        return validator(algorithm);
    }

    /** A validator expecting {@code expected} as the signing algorithm. */
    public IDTokenValidator validator(JWSAlgorithm expected) {
        return new IDTokenValidator(provider.issuer(), clientId(), expected, provider.jwksUrl());
    }

    /** The ID token's claims once Nimbus has validated it, {@code nonce} included (null: none expected). */
    public IDTokenClaimsSet validate(JWT idToken, Nonce nonce) throws BadJOSEException, JOSEException {
        return validator().validate(idToken, nonce);
    }

    /** The UserInfo endpoint's claims for {@code accessToken}; the test fails on an error answer. */
    public UserInfo userInfo(BearerAccessToken accessToken) {
        try {
            UserInfoResponse response = UserInfoResponse.parse(
                    new UserInfoRequest(provider.userInfoEndpoint(), accessToken).toHTTPRequest().send());
            assertTrue(response.indicatesSuccess(), () -> "UserInfo failed: "
                    + response.toErrorResponse().getErrorObject());
            return response.toSuccessResponse().getUserInfo();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ParseException e) {
            throw new AssertionError("UserInfo's answer does not parse", e);
        }
    }

    /** RP-initiated logout (RP-Initiated Logout 1.0 §2) with the ID token as hint, a post-logout URI and state. */
    public LogoutRequest logout(JWT idToken, URI postLogoutRedirectUri, State state) {
        return new LogoutRequest(provider.endSessionEndpoint(), idToken, postLogoutRedirectUri, state);
    }

    private TokenResponse token(AuthorizationGrant grant) {
        ClientAuthentication authentication = new ClientSecretBasic(clientId(), new Secret(client.clientSecret()));
        try {
            return OIDCTokenResponseParser.parse(
                    new TokenRequest(provider.tokenEndpoint(), authentication, grant).toHTTPRequest().send());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ParseException e) {
            throw new AssertionError("the token endpoint's answer does not parse", e);
        }
    }

    private static OIDCTokens success(TokenResponse response) {
        assertTrue(response.indicatesSuccess(), () -> "token request failed: "
                + response.toErrorResponse().getErrorObject());
        assertTrue(response instanceof OIDCTokenResponse, "an OpenID Connect token response, with id_token");
        return ((OIDCTokenResponse) response).getOIDCTokens();
    }

    private static URL url(URI uri) {
        try {
            return uri.toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(uri.toString(), e);
        }
    }
}
