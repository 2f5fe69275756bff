package io.storeman.packaged;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.Tokens;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The resource API against the packaged application: spaces and items created, read, listed page by page, patched
 * and deleted; Jackson writes and reads every view and input there, so a missing reflection registration shows.
 */
@QuarkusIntegrationTest
class ResourceApiIT {

    @Test
    void spacesWhenCreatedReadPatchedAndDeletedThenEachAnswerAsTheContractSays() {
        String token = Fixtures.userWithAllScopes().accessToken();

        Response created = api(token).contentType(ContentType.JSON)
                .body(Map.of("name", "Garage", "description", "tools"))
                .post("/api/v1/spaces");
        created.then().statusCode(201).header("Location", containsString("/api/v1/spaces/"))
                .body("name", equalTo("Garage")).body("description", equalTo("tools"))
                .body("created_at", notNullValue()).body("updated_at", notNullValue());
        long id = created.jsonPath().getLong("id");

        api(token).get("/api/v1/spaces/" + id).then().statusCode(200).body("name", equalTo("Garage"));
        api(token).contentType("application/merge-patch+json").body("{\"description\":null}")
                .patch("/api/v1/spaces/" + id).then().statusCode(200)
                .body("name", equalTo("Garage")).body("description", nullValue());
        api(token).get("/api/v1/spaces").then().statusCode(200).body("", hasSize(1));
        api(token).delete("/api/v1/spaces/" + id).then().statusCode(204);
        api(token).get("/api/v1/spaces/" + id).then().statusCode(404);
    }

    @Test
    void itemsWhenCreatedListedPatchedAndDeletedThenEachAnswerAsTheContractSays() {
        String token = Fixtures.userWithAllScopes().accessToken();
        long space = api(token).contentType(ContentType.JSON).body(Map.of("name", "Shed"))
                .post("/api/v1/spaces").then().statusCode(201).extract().jsonPath().getLong("id");

        long first = 0;
        for (int i = 1; i <= 3; i++) {
            long id = api(token).contentType(ContentType.JSON).body(Map.of("name", "Item " + i, "quantity", i))
                    .post("/api/v1/spaces/" + space + "/items")
                    .then().statusCode(201).header("Location", containsString("/api/v1/items/"))
                    .body("space_id", equalTo((int) space)).body("quantity", equalTo(i))
                    .extract().jsonPath().getLong("id");
            first = first == 0 ? id : first;
        }
        // Two pages of two: the first links to the next, twice in a row (the second read may come from the cache).
        for (int read = 0; read < 2; read++) {
            api(token).get("/api/v1/spaces/" + space + "/items?limit=2").then().statusCode(200)
                    .header("Link", containsString("rel=\"next\"")).body("", hasSize(2))
                    .body("[0].name", equalTo("Item 1"));
        }
        api(token).contentType(ContentType.JSON).body(Map.of("quantity", 7)).patch("/api/v1/items/" + first)
                .then().statusCode(200).body("quantity", equalTo(7)).body("name", equalTo("Item 1"));
        api(token).get("/api/v1/items/" + first).then().statusCode(200).body("quantity", equalTo(7));
        api(token).delete("/api/v1/items/" + first).then().statusCode(204);
        api(token).get("/api/v1/spaces/" + space + "/items").then().statusCode(200).body("", hasSize(2));
    }

    @Test
    void apiWhenInvalidInputThenProblemJsonNamingTheField() {
        String token = Fixtures.userWithAllScopes().accessToken();
        api(token).contentType(ContentType.JSON).body(Map.of("name", ""))
                .post("/api/v1/spaces").then().statusCode(400).contentType("application/problem+json")
                .body("errors.name", notNullValue());
    }

    @Test
    void apiWhenMissingScopeOrTokenThenBearerChallenges() {
        Account user = Fixtures.newUser();
        Tokens tokens = Fixtures.passwordTokens(Fixtures.newApp(user, Fixtures.ALL_SCOPES), user, "public");
        api(tokens.accessToken()).get("/api/v1/spaces").then().statusCode(403)
                .header("WWW-Authenticate", containsString("error=\"insufficient_scope\""));
        given().get("/api/v1/spaces").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer realm=\"storeman\""));
        api("not-a-token").get("/api/v1/spaces").then().statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""));
    }

    private static io.restassured.specification.RequestSpecification api(String accessToken) {
        return given().auth().oauth2(accessToken);
    }
}
