package io.storeman.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.storeman.support.Fixtures;
import io.storeman.support.ResourceFixtures;
import io.storeman.support.ResourceFixtures.Owner;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each endpoint of the resource API (CONTRACT.md "Resource API") against its scope: it works with exactly that
 * scope, and answers per RFC 6750 with any other scopes, with no token, and with a token that is not one.
 */
@QuarkusTest
class ResourceApiScopesTest {

    enum Endpoint {
        LIST_SPACES("GET", "/api/v1/spaces", "read_spaces", 200, null),
        GET_SPACE("GET", "/api/v1/spaces/{space}", "read_spaces", 200, null),
        CREATE_SPACE("POST", "/api/v1/spaces", "write_spaces", 201, "{\"name\": \"New\"}"),
        UPDATE_SPACE("PATCH", "/api/v1/spaces/{space}", "write_spaces", 200, "{\"name\": \"Renamed\"}"),
        DELETE_SPACE("DELETE", "/api/v1/spaces/{space}", "write_spaces", 204, null),
        LIST_ITEMS("GET", "/api/v1/spaces/{space}/items", "read_items", 200, null),
        GET_ITEM("GET", "/api/v1/items/{item}", "read_items", 200, null),
        CREATE_ITEM("POST", "/api/v1/spaces/{space}/items", "write_items", 201, "{\"name\": \"New\"}"),
        UPDATE_ITEM("PATCH", "/api/v1/items/{item}", "write_items", 200, "{\"quantity\": 9}"),
        DELETE_ITEM("DELETE", "/api/v1/items/{item}", "write_items", 204, null);

        final String method;
        final String path;
        final String scope;
        final int success;
        final String body;

        Endpoint(String method, String path, String scope, int success, String body) {
            this.method = method;
            this.path = path;
            this.scope = scope;
            this.success = success;
            this.body = body;
        }

        /** Every scope but this endpoint's. */
        String otherScopes() {
            return Arrays.stream(Fixtures.ALL_SCOPES.split(" ")).filter(s -> !s.equals(scope))
                    .collect(Collectors.joining(" "));
        }
    }

    /** An owner with a space holding an item, and the endpoint's path pointing at them. */
    private record Target(Owner owner, String path) {
    }

    private static Target target(Endpoint endpoint) {
        Owner owner = ResourceFixtures.newOwner();
        String all = owner.allScopes();
        long space = ResourceFixtures.newSpace(all, "Scoped");
        long item = ResourceFixtures.newItem(all, space, "Thing", 1);
        return new Target(owner, endpoint.path.replace("{space}", Long.toString(space))
                .replace("{item}", Long.toString(item)));
    }

    private static io.restassured.response.Response call(Endpoint endpoint, String path, RequestSpecification spec) {
        if (endpoint.body != null) {
            spec.contentType(ContentType.JSON).body(endpoint.body);
        }
        return spec.request(endpoint.method, path);
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void endpointWhenTokenHasExactlyItsScopeThenSucceeds(Endpoint endpoint) {
        Target target = target(endpoint);
        String token = target.owner().token(endpoint.scope);
        call(endpoint, target.path(), given().auth().oauth2(token))
                .then().statusCode(endpoint.success);
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void endpointWhenTokenHasEveryOtherScopeThen403InsufficientScopeNamingTheScope(Endpoint endpoint) {
        Target target = target(endpoint);
        String token = target.owner().token(endpoint.otherScopes());
        call(endpoint, target.path(), given().auth().oauth2(token))
                .then().statusCode(403)
                .header("WWW-Authenticate", startsWith("Bearer realm=\"storeman\""))
                .header("WWW-Authenticate", containsString("error=\"insufficient_scope\""))
                .header("WWW-Authenticate", containsString("scope=\"" + endpoint.scope + "\""))
                .body("error", equalTo("insufficient_scope"));
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void endpointWhenNoTokenThen401ChallengeWithoutErrorAttribute(Endpoint endpoint) {
        Target target = target(endpoint);
        call(endpoint, target.path(), given())
                .then().statusCode(401)
                .header("WWW-Authenticate", equalTo("Bearer realm=\"storeman\""));
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void endpointWhenGarbageTokenThen401InvalidToken(Endpoint endpoint) {
        Target target = target(endpoint);
        call(endpoint, target.path(), given().auth().oauth2("not.a.token"))
                .then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer realm=\"storeman\", error=\"invalid_token\""))
                .body("error", equalTo("invalid_token"));
    }
}
