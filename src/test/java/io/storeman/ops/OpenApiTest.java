package io.storeman.ops;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** /q/openapi documents every endpoint of the contract, each with a summary and its responses. */
@QuarkusTest
class OpenApiTest {

    /** Method and path of every API endpoint in CONTRACT.md. */
    static final List<String> CONTRACT = List.of(
            "get /oauth/authorize", "post /oauth/authorize",
            "post /oauth/token", "post /oauth/revoke", "post /oauth/introspect", "get /oauth/token/info",
            "get /.well-known/jwks.json", "get /.well-known/oauth-authorization-server",
            "get /.well-known/openid-configuration", "get /userinfo", "post /userinfo",
            "get /oauth/logout", "post /oauth/logout",
            "post /api/v1/users", "get /api/v1/me", "put /api/v1/me/password",
            "get /api/v1/oauth/applications", "post /api/v1/oauth/applications",
            "get /api/v1/oauth/applications/{id}", "patch /api/v1/oauth/applications/{id}",
            "delete /api/v1/oauth/applications/{id}", "post /api/v1/oauth/applications/{id}/secret",
            "get /api/v1/authorized_applications", "delete /api/v1/authorized_applications/{client_id}",
            "get /api/v1/spaces", "post /api/v1/spaces", "get /api/v1/spaces/{id}", "patch /api/v1/spaces/{id}",
            "delete /api/v1/spaces/{id}", "get /api/v1/spaces/{spaceId}/items", "post /api/v1/spaces/{spaceId}/items",
            "get /api/v1/items/{id}", "patch /api/v1/items/{id}", "delete /api/v1/items/{id}");

    @Test
    void openApiWhenFetchedThenEveryContractEndpointIsDocumented() {
        JsonPath document = given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().jsonPath();
        Map<String, Map<String, Map<String, Object>>> paths = document.getMap("paths");
        for (String endpoint : CONTRACT) {
            String[] parts = endpoint.split(" ", 2);
            Map<String, Map<String, Object>> path = paths.get(parts[1]);
            assertNotNull(path, "undocumented path " + parts[1]);
            Map<String, Object> operation = path.get(parts[0]);
            assertNotNull(operation, "undocumented " + endpoint);
            assertNotNull(operation.get("summary"), "no summary for " + endpoint);
            assertFalse(((Map<?, ?>) operation.get("responses")).isEmpty(), "no responses for " + endpoint);
        }
        assertTrue(document.getMap("components.securitySchemes").keySet().containsAll(List.of("bearer", "account")));
        assertTrue(paths.keySet().stream().noneMatch(path -> path.startsWith("/account") || path.startsWith("/users")),
                "HTML pages are not API endpoints");
    }

    /** BearerOpenApiFilter adds the Bearer requirement and answers once, from the method's annotations. */
    @Test
    void openApiWhenScopedOperationThenBearerRequirementAnd401403503() {
        JsonPath document = given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().jsonPath();
        String items = "paths.'/api/v1/spaces/{spaceId}/items'.get";
        assertEquals(List.of(Map.of("bearer", List.of("read_items"))), document.getList(items + ".security"));
        Map<String, Object> responses = document.getMap(items + ".responses");
        assertTrue(responses.keySet().containsAll(List.of("200", "401", "403", "503")), responses.keySet().toString());
        assertTrue(String.valueOf(document.getString(items + ".responses.403.description")).contains("read_items"));
        assertNull(document.get(items + ".operationId"), "the method's name is the filter's key, not published");
        String info = "paths.'/oauth/token/info'.get";
        assertEquals(List.of(Map.of("bearer", List.of())), document.getList(info + ".security"));
        assertTrue(document.getMap(info + ".responses").keySet().containsAll(List.of("200", "401", "503")));
        assertFalse(document.getMap(info + ".responses").containsKey("403"), "any valid token will do");
    }

    @Test
    void openApiWhenPublicOperationThenNoBearerAnswers() {
        JsonPath document = given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().jsonPath();
        String users = "paths.'/api/v1/users'.post";
        assertNull(document.get(users + ".security"));
        Map<String, Object> responses = document.getMap(users + ".responses");
        assertFalse(responses.containsKey("401") || responses.containsKey("403") || responses.containsKey("503"),
                responses.keySet().toString());
        String jwks = "paths.'/.well-known/jwks.json'.get";
        assertNull(document.get(jwks + ".security"));
        assertFalse(document.getMap(jwks + ".responses").containsKey("401"));
    }
}
