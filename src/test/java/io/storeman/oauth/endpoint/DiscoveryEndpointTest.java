package io.storeman.oauth.endpoint;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.openid.connect.sdk.SubjectType;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /.well-known/openid-configuration} (OpenID Connect Discovery 1.0 §4), consistent with the RFC 8414
 * document and the JWKS (docs/security.md O8).
 */
@QuarkusTest
class DiscoveryEndpointTest {

    private static final String ISSUER = "http://storeman.test";

    @Test
    void discoveryThenIssuerEndpointsAndOpenIdCapabilities() {
        given().get("/.well-known/openid-configuration")
                .then().statusCode(200)
                .contentType("application/json")
                .header("Cache-Control", "public, max-age=3600")
                .body("issuer", equalTo(ISSUER))
                .body("authorization_endpoint", equalTo(ISSUER + "/oauth/authorize"))
                .body("token_endpoint", equalTo(ISSUER + "/oauth/token"))
                .body("userinfo_endpoint", equalTo(ISSUER + "/userinfo"))
                .body("jwks_uri", equalTo(ISSUER + "/.well-known/jwks.json"))
                .body("revocation_endpoint", equalTo(ISSUER + "/oauth/revoke"))
                .body("introspection_endpoint", equalTo(ISSUER + "/oauth/introspect"))
                .body("end_session_endpoint", equalTo(ISSUER + "/oauth/logout"))
                .body("scopes_supported", containsInAnyOrder("openid", "email", "public", "read_items",
                        "write_items", "read_spaces", "write_spaces"))
                .body("response_types_supported", equalTo(List.of("code")))
                .body("response_modes_supported", equalTo(List.of("query")))
                .body("grant_types_supported", containsInAnyOrder("authorization_code", "client_credentials",
                        "password", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"))
                .body("device_authorization_endpoint", equalTo(ISSUER + "/oauth/device_authorization"))
                .body("subject_types_supported", equalTo(List.of("public", "pairwise")))
                .body("id_token_signing_alg_values_supported", equalTo(List.of("RS256", "ES256")))
                .body("token_endpoint_auth_methods_supported", containsInAnyOrder("client_secret_basic",
                        "client_secret_post", "none"))
                .body("claims_supported", containsInAnyOrder("sub", "iss", "aud", "exp", "iat", "auth_time",
                        "nonce", "at_hash", "azp", "email", "email_verified"))
                .body("code_challenge_methods_supported", equalTo(List.of("S256")))
                .body("prompt_values_supported", containsInAnyOrder("none", "login", "consent", "select_account"))
                .body("claims_parameter_supported", equalTo(false))
                .body("request_parameter_supported", equalTo(false))
                .body("request_uri_parameter_supported", equalTo(false))
                .body("authorization_response_iss_parameter_supported", equalTo(true))
                .body("userinfo_signing_alg_values_supported", nullValue());
    }

    @Test
    void discoveryWhenComparedWithTheRfc8414DocumentThenEverySharedFieldHasOneValue() {
        Map<String, Object> discovery = given().get("/.well-known/openid-configuration")
                .then().statusCode(200).extract().jsonPath().getMap("$");
        Map<String, Object> metadata = given().get("/.well-known/oauth-authorization-server")
                .then().statusCode(200).extract().jsonPath().getMap("$");

        Set<String> shared = discovery.keySet().stream().filter(metadata::containsKey).collect(Collectors.toSet());
        assertTrue(shared.containsAll(List.of("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri",
                "scopes_supported", "response_types_supported", "grant_types_supported",
                "code_challenge_methods_supported")), shared.toString());
        for (String field : shared) {
            assertEquals(discovery.get(field), metadata.get(field), field);
        }
        assertTrue(metadata.keySet().containsAll(List.of("userinfo_endpoint", "end_session_endpoint",
                "subject_types_supported", "id_token_signing_alg_values_supported")),
                "the RFC 8414 document advertises the OpenID endpoints too (CONTRACT: both documents)");
    }

    @Test
    void discoveryWhenComparedWithTheJwksThenEachAdvertisedAlgorithmHasAKeyAndNoKeyIsUnadvertised() throws Exception {
        JsonPath discovery = given().get("/.well-known/openid-configuration").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(ISSUER + "/.well-known/jwks.json", discovery.getString("jwks_uri"));
        JWKSet jwks = JWKSet.parse(given().get("/.well-known/jwks.json").then().statusCode(200)
                .extract().asString());
        List<String> advertised = discovery.getList("id_token_signing_alg_values_supported");

        assertFalse(jwks.getKeys().isEmpty());
        for (JWK key : jwks.getKeys()) {
            assertTrue(advertised.contains(key.getAlgorithm().getName()),
                    "a published key's alg is advertised: " + key.getAlgorithm());
        }
        assertTrue(advertised.contains("RS256"), "Core 1.0 §15.1: RS256 is always supported for ID tokens");
        Set<String> published = jwks.getKeys().stream().map(key -> key.getAlgorithm().getName())
                .collect(Collectors.toSet());
        for (String algorithm : advertised) {
            assertTrue(published.contains(algorithm), "an advertised ID-token alg has a published key: "
                    + algorithm);
        }
    }

    @Test
    void discoveryWhenReadByNimbusThenItParsesAsOpenIdProviderMetadata() throws Exception {
        String json = given().get("/.well-known/openid-configuration").then().statusCode(200).extract().asString();

        OIDCProviderMetadata metadata = OIDCProviderMetadata.parse(json);

        assertEquals(ISSUER, metadata.getIssuer().getValue());
        assertEquals(URI.create(ISSUER + "/userinfo"), metadata.getUserInfoEndpointURI());
        assertEquals(URI.create(ISSUER + "/oauth/logout"), metadata.getEndSessionEndpointURI());
        assertEquals(URI.create(ISSUER + "/.well-known/jwks.json"), metadata.getJWKSetURI());
        assertEquals(List.of(SubjectType.PUBLIC, SubjectType.PAIRWISE), metadata.getSubjectTypes());
        assertEquals(List.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), metadata.getIDTokenJWSAlgs());
        assertEquals(List.of(ResponseType.CODE), metadata.getResponseTypes());
        assertTrue(metadata.getScopes().contains("openid"));
        assertFalse(metadata.supportsRequestURIParam());
        assertFalse(metadata.supportsRequestParam());
        assertFalse(metadata.supportsClaimsParam());
    }
}
