package io.storeman.space;

import static io.restassured.RestAssured.given;
import static io.storeman.support.ResourceFixtures.body;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.storeman.support.ResourceFixtures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
class SpacesApiTest {

    private static final String PROBLEM = "application/problem+json";

    @Test
    void createWhenValidThen201WithLocationAndSpace() {
        String token = ResourceFixtures.newOwner().allScopes();
        Response created = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("name", "Garage", "description", "Tools and bikes"))
                .post("/api/v1/spaces");
        created.then().statusCode(201)
                .contentType(ContentType.JSON)
                .header("Location", matchesPattern(".*/api/v1/spaces/\\d+$"))
                .body("id", notNullValue())
                .body("name", equalTo("Garage"))
                .body("description", equalTo("Tools and bikes"))
                .body("created_at", notNullValue())
                .body("updated_at", equalTo(created.path("created_at")));
        long id = created.jsonPath().getLong("id");

        given().auth().oauth2(token).get(created.header("Location"))
                .then().statusCode(200)
                .body("id", equalTo((int) id))
                .body("name", equalTo("Garage"))
                .body("created_at", equalTo(created.path("created_at")))
                .body("updated_at", equalTo(created.path("updated_at")));
    }

    @Test
    void createWhenNoDescriptionThenNull() {
        String token = ResourceFixtures.newOwner().allScopes();
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("name", "Attic"))
                .post("/api/v1/spaces")
                .then().statusCode(201)
                .body("$", hasKey("description"))
                .body("description", nullValue());
    }

    @Test
    void createWhenNameAndDescriptionAtTheirLimitsThen201() {
        String token = ResourceFixtures.newOwner().allScopes();
        // 200 characters outside the BMP: 400 UTF-16 units, still 200 characters.
        String name = "\uD83D\uDCE6".repeat(200);
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("name", name, "description", "d".repeat(2000)))
                .post("/api/v1/spaces")
                .then().statusCode(201)
                .body("name", equalTo(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"name\": \"\"}", "{\"name\": \"   \"}", "{\"name\": null}",
        "{\"name\": \"nul\\u0000\"}"})
    void createWhenNameMissingOrBlankThen400ProblemNamingIt(String json) {
        String token = ResourceFixtures.newOwner().allScopes();
        given().auth().oauth2(token).contentType(ContentType.JSON).body(json)
                .post("/api/v1/spaces")
                .then().statusCode(400)
                .contentType(PROBLEM)
                .body("status", equalTo(400))
                .body("errors.name", notNullValue());
    }

    @Test
    void createWhenNameTooLongThen400Problem() {
        String token = ResourceFixtures.newOwner().allScopes();
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("name", "n".repeat(201)))
                .post("/api/v1/spaces")
                .then().statusCode(400)
                .contentType(PROBLEM)
                .body("errors.name", notNullValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"name\": \"bell\\u0007\"}", "{\"name\": \"two\\nlines\"}",
        "{\"name\": \"lone \\udc00\"}", "{\"name\": \"Shed\", \"description\": \"nul \\u0000\"}",
        "{\"name\": \"Shed\", \"description\": \"lone \\ud800\"}"})
    void createWhenTextHoldsControlOrBrokenCharacterThen400Problem(String json) {
        String token = ResourceFixtures.newOwner().allScopes();
        given().auth().oauth2(token).contentType(ContentType.JSON).body(json)
                .post("/api/v1/spaces")
                .then().statusCode(400)
                .contentType(PROBLEM)
                .body("errors", notNullValue());
    }

    @Test
    void createWhenDescriptionSpansLinesThen201() {
        String token = ResourceFixtures.newOwner().allScopes();
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("name", "Shed", "description", "Tools:\n\tsaw\r\n\thammer"))
                .post("/api/v1/spaces")
                .then().statusCode(201)
                .body("description", equalTo("Tools:\n\tsaw\r\n\thammer"));
    }

    @Test
    void createWhenDescriptionTooLongThen400Problem() {
        String token = ResourceFixtures.newOwner().allScopes();
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("name", "Shed", "description", "d".repeat(2001)))
                .post("/api/v1/spaces")
                .then().statusCode(400)
                .contentType(PROBLEM)
                .body("errors.description", notNullValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[]", "\"Garage\"", ""})
    void createWhenBodyIsNotASpaceThen400Problem(String json) {
        String token = ResourceFixtures.newOwner().allScopes();
        given().auth().oauth2(token).contentType(ContentType.JSON).body(json)
                .post("/api/v1/spaces")
                .then().statusCode(400)
                .contentType(PROBLEM);
    }

    @Test
    void getWhenUnknownIdThen404Problem() {
        String token = ResourceFixtures.newOwner().allScopes();
        given().auth().oauth2(token).get("/api/v1/spaces/" + Long.MAX_VALUE)
                .then().statusCode(404)
                .contentType(PROBLEM);
    }

    @Test
    void otherUsersSpaceWhenReadChangedOrDeletedThen404AndUntouched() {
        String ownerToken = ResourceFixtures.newOwner().allScopes();
        String strangerToken = ResourceFixtures.newOwner().allScopes();
        long id = ResourceFixtures.newSpace(ownerToken, "Private");

        given().auth().oauth2(strangerToken).get("/api/v1/spaces/" + id)
                .then().statusCode(404).contentType(PROBLEM);
        given().auth().oauth2(strangerToken).contentType(ContentType.JSON).body(Map.of("name", "Mine now"))
                .patch("/api/v1/spaces/" + id)
                .then().statusCode(404).contentType(PROBLEM);
        given().auth().oauth2(strangerToken).delete("/api/v1/spaces/" + id)
                .then().statusCode(404).contentType(PROBLEM);
        given().auth().oauth2(strangerToken).get("/api/v1/spaces")
                .then().statusCode(200).body("id", not(hasItem((int) id)));

        given().auth().oauth2(ownerToken).get("/api/v1/spaces/" + id)
                .then().statusCode(200).body("name", equalTo("Private"));
    }

    @Test
    void patchWhenOnlyNameThenDescriptionKeptAndUpdatedAtAdvances() {
        String token = ResourceFixtures.newOwner().allScopes();
        JsonPath before = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("name", "Cellar", "description", "Wine"))
                .post("/api/v1/spaces").then().statusCode(201).extract().jsonPath();
        long id = before.getLong("id");

        JsonPath after = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("name", "Basement"))
                .patch("/api/v1/spaces/" + id)
                .then().statusCode(200)
                .body("id", equalTo((int) id))
                .body("name", equalTo("Basement"))
                .body("description", equalTo("Wine"))
                .body("created_at", equalTo(before.getString("created_at")))
                .extract().jsonPath();
        assertTrue(Instant.parse(after.getString("updated_at"))
                .isAfter(Instant.parse(before.getString("updated_at"))));

        given().auth().oauth2(token).get("/api/v1/spaces/" + id)
                .then().statusCode(200)
                .body("name", equalTo("Basement"))
                .body("updated_at", equalTo(after.getString("updated_at")));
    }

    @Test
    void patchWhenMergePatchMediaTypeAndNullDescriptionThenDescriptionCleared() {
        String token = ResourceFixtures.newOwner().allScopes();
        long id = ResourceFixtures.newSpace(token, "Loft");
        given().auth().oauth2(token).contentType("application/merge-patch+json")
                .body("{\"description\": null}")
                .patch("/api/v1/spaces/" + id)
                .then().statusCode(200)
                .body("name", equalTo("Loft"))
                .body("description", nullValue());
    }

    @Test
    void patchWhenInvalidThen400AndSpaceUnchanged() {
        String token = ResourceFixtures.newOwner().allScopes();
        long id = ResourceFixtures.newSpace(token, "Pantry");
        given().auth().oauth2(token).contentType(ContentType.JSON).body(body("name", null))
                .patch("/api/v1/spaces/" + id)
                .then().statusCode(400).contentType(PROBLEM).body("errors.name", notNullValue());
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("name", "x".repeat(201)))
                .patch("/api/v1/spaces/" + id)
                .then().statusCode(400).contentType(PROBLEM).body("errors.name", notNullValue());
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("description", List.of(1)))
                .patch("/api/v1/spaces/" + id)
                .then().statusCode(400).contentType(PROBLEM);
        given().auth().oauth2(token).contentType(ContentType.JSON).body("[1, 2]")
                .patch("/api/v1/spaces/" + id)
                .then().statusCode(400).contentType(PROBLEM);

        given().auth().oauth2(token).get("/api/v1/spaces/" + id)
                .then().statusCode(200).body("name", equalTo("Pantry")).body("description", equalTo("about Pantry"));
    }

    @Test
    void deleteWhenOwnSpaceThen204AndGone() {
        String token = ResourceFixtures.newOwner().allScopes();
        long id = ResourceFixtures.newSpace(token, "Temporary");
        given().auth().oauth2(token).delete("/api/v1/spaces/" + id)
                .then().statusCode(204);
        given().auth().oauth2(token).get("/api/v1/spaces/" + id).then().statusCode(404);
        given().auth().oauth2(token).delete("/api/v1/spaces/" + id).then().statusCode(404);
    }

    @Test
    void listWhenMoreThanLimitThenNextLinksWalkEverySpaceOnceInIdOrder() {
        String token = ResourceFixtures.newOwner().allScopes();
        List<Long> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(ResourceFixtures.newSpace(token, "Space " + i));
        }

        Response first = given().auth().oauth2(token).get("/api/v1/spaces?limit=3");
        first.then().statusCode(200).header("Link", matchesPattern("<[^>]+>; rel=\"next\""));
        List<List<Long>> pages = ResourceFixtures.allPages(token, "/api/v1/spaces?limit=3");

        assertEquals(List.of(3, 3, 1), pages.stream().map(List::size).toList());
        assertEquals(created, pages.stream().flatMap(List::stream).toList());
    }

    @Test
    void listWhenAllFitThenNoLinkAndDefaultLimit() {
        String token = ResourceFixtures.newOwner().allScopes();
        long id = ResourceFixtures.newSpace(token, "Only");
        Response response = given().auth().oauth2(token).get("/api/v1/spaces");
        response.then().statusCode(200).body("id", equalTo(List.of((int) id)));
        assertNull(response.header("Link"));

        Response exact = given().auth().oauth2(token).get("/api/v1/spaces?limit=1");
        exact.then().statusCode(200).body("size()", equalTo(1));
        assertNull(exact.header("Link"), "no next link when nothing remains");
    }

    @Test
    void listWhenNoSpacesThenEmptyArray() {
        String token = ResourceFixtures.newOwner().allScopes();
        given().auth().oauth2(token).get("/api/v1/spaces")
                .then().statusCode(200).body("size()", equalTo(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=0", "limit=201", "limit=-1", "limit=abc", "limit=1.5", "cursor=not-a-cursor",
        "cursor=YWZ0ZXI6LTE", "cursor=" + "A"})
    void listWhenLimitOrCursorInvalidThen400Problem(String query) {
        String token = ResourceFixtures.newOwner().allScopes();
        given().auth().oauth2(token).get("/api/v1/spaces?" + query)
                .then().statusCode(400)
                .contentType(PROBLEM);
    }

    @Test
    void listWhenLimitIs200ThenAccepted() {
        String token = ResourceFixtures.newOwner().allScopes();
        given().auth().oauth2(token).get("/api/v1/spaces?limit=200").then().statusCode(200);
    }
}
