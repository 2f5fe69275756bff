package io.storeman.oauth.keys;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code GET /.well-known/oauth-authorization-server} (RFC 8414). */
@QuarkusTest
class MetadataEndpointTest {

    @Test
    void metadataThenIssuerEndpointsAndCapabilities() {
        given().get("/.well-known/oauth-authorization-server")
                .then().statusCode(200)
                .contentType("application/json")
                .header("Cache-Control", "public, max-age=3600")
                .body("issuer", equalTo("http://storeman.test"))
                .body("authorization_endpoint", equalTo("http://storeman.test/oauth/authorize"))
                .body("token_endpoint", equalTo("http://storeman.test/oauth/token"))
                .body("revocation_endpoint", equalTo("http://storeman.test/oauth/revoke"))
                .body("introspection_endpoint", equalTo("http://storeman.test/oauth/introspect"))
                .body("jwks_uri", equalTo("http://storeman.test/.well-known/jwks.json"))
                .body("scopes_supported", containsInAnyOrder("openid", "email", "public", "read_items",
                        "write_items", "read_spaces", "write_spaces"))
                .body("response_types_supported", equalTo(List.of("code")))
                .body("grant_types_supported", containsInAnyOrder("authorization_code", "client_credentials",
                        "password", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"))
                .body("device_authorization_endpoint", equalTo("http://storeman.test/oauth/device_authorization"))
                .body("token_endpoint_auth_methods_supported", containsInAnyOrder("client_secret_basic",
                        "client_secret_post", "none"))
                .body("revocation_endpoint_auth_methods_supported", hasItems("client_secret_basic"))
                .body("introspection_endpoint_auth_methods_supported", containsInAnyOrder("client_secret_basic",
                        "client_secret_post"))
                .body("code_challenge_methods_supported", equalTo(List.of("S256")))
                .body("authorization_response_iss_parameter_supported", equalTo(true));
    }

    @Test
    void metadataWhenReadByNimbusThenItParsesWithTheSameValues() throws Exception {
        String json = given().get("/.well-known/oauth-authorization-server").then().statusCode(200)
                .extract().asString();

        AuthorizationServerMetadata metadata = AuthorizationServerMetadata.parse(json);

        assertEquals("http://storeman.test", metadata.getIssuer().getValue());
        assertEquals(URI.create("http://storeman.test/oauth/token"), metadata.getTokenEndpointURI());
        assertEquals(URI.create("http://storeman.test/oauth/introspect"), metadata.getIntrospectionEndpointURI());
        assertEquals(URI.create("http://storeman.test/.well-known/jwks.json"), metadata.getJWKSetURI());
        assertEquals(List.of(CodeChallengeMethod.S256), metadata.getCodeChallengeMethods());
        assertEquals(true, metadata.getGrantTypes().contains(GrantType.AUTHORIZATION_CODE));
    }
}
