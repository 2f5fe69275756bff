package io.storeman.item;

import static io.restassured.RestAssured.given;
import static io.storeman.support.ResourceFixtures.body;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
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
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
class ItemsApiTest {

    private static final String PROBLEM = "application/problem+json";

    @Inject
    Pool pool;

    private long rowsOf(String table, String column, long value) {
        return pool.preparedQuery("select count(*) from " + table + " where " + column + " = $1")
                .execute(Tuple.of(value))
                .map(rows -> rows.iterator().next().getLong(0))
                .await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void createWhenValidThen201WithLocationAndItem() {
        String token = ResourceFixtures.newOwner().allScopes();
        long spaceId = ResourceFixtures.newSpace(token, "Kitchen");
        Response created = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("name", "Mugs", "description", "Blue ones", "quantity", 6))
                .post("/api/v1/spaces/" + spaceId + "/items");
        created.then().statusCode(201)
                .header("Location", matchesPattern(".*/api/v1/items/\\d+$"))
                .body("id", notNullValue())
                .body("space_id", equalTo((int) spaceId))
                .body("name", equalTo("Mugs"))
                .body("description", equalTo("Blue ones"))
                .body("quantity", equalTo(6))
                .body("created_at", notNullValue())
                .body("updated_at", equalTo(created.path("created_at")));

        given().auth().oauth2(token).get(created.header("Location"))
                .then().statusCode(200)
                .body("id", equalTo(created.path("id")))
                .body("space_id", equalTo((int) spaceId))
                .body("quantity", equalTo(6))
                .body("created_at", equalTo(created.path("created_at")));
    }

    @Test
    void createWhenNoQuantityThenZero() {
        String token = ResourceFixtures.newOwner().allScopes();
        long spaceId = ResourceFixtures.newSpace(token, "Hall");
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("name", "Umbrella"))
                .post("/api/v1/spaces/" + spaceId + "/items")
                .then().statusCode(201)
                .body("quantity", equalTo(0))
                .body("description", nullValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "1.5", "\"3\"", "true", "2147483648", "99999999999999999999999"})
    void createWhenQuantityNotANonNegativeIntegerThen400Problem(String quantity) {
        String token = ResourceFixtures.newOwner().allScopes();
        long spaceId = ResourceFixtures.newSpace(token, "Shelf");
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"name\": \"Books\", \"quantity\": " + quantity + "}")
                .post("/api/v1/spaces/" + spaceId + "/items")
                .then().statusCode(400)
                .contentType(PROBLEM)
                .body("status", equalTo(400));
        given().auth().oauth2(token).get("/api/v1/spaces/" + spaceId + "/items")
                .then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void createWhenQuantityIsLargestIntegerThen201() {
        String token = ResourceFixtures.newOwner().allScopes();
        long spaceId = ResourceFixtures.newSpace(token, "Warehouse");
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("name", "Screws", "quantity", Integer.MAX_VALUE))
                .post("/api/v1/spaces/" + spaceId + "/items")
                .then().statusCode(201).body("quantity", equalTo(Integer.MAX_VALUE));
    }

    @Test
    void createWhenNameOrDescriptionInvalidThen400ProblemNamingTheField() {
        String token = ResourceFixtures.newOwner().allScopes();
        long spaceId = ResourceFixtures.newSpace(token, "Office");
        String items = "/api/v1/spaces/" + spaceId + "/items";
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("quantity", 1))
                .post(items).then().statusCode(400).contentType(PROBLEM).body("errors.name", notNullValue());
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("name", "n".repeat(201)))
                .post(items).then().statusCode(400).contentType(PROBLEM).body("errors.name", notNullValue());
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("name", "Pens", "description", "d".repeat(2001)))
                .post(items).then().statusCode(400).contentType(PROBLEM).body("errors.description", notNullValue());
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("name", "Pens", "quantity", -5))
                .post(items).then().statusCode(400).contentType(PROBLEM).body("errors.quantity", notNullValue());
    }

    @Test
    void patchWhenQuantityOnlyThenOtherFieldsKeptAndUpdatedAtAdvances() {
        String token = ResourceFixtures.newOwner().allScopes();
        long spaceId = ResourceFixtures.newSpace(token, "Bathroom");
        JsonPath before = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("name", "Towels", "description", "White", "quantity", 4))
                .post("/api/v1/spaces/" + spaceId + "/items").then().statusCode(201).extract().jsonPath();
        long id = before.getLong("id");

        JsonPath after = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("quantity", 3, "space_id", 1))
                .patch("/api/v1/items/" + id)
                .then().statusCode(200)
                .body("name", equalTo("Towels"))
                .body("description", equalTo("White"))
                .body("quantity", equalTo(3))
                .body("space_id", equalTo((int) spaceId))
                .body("created_at", equalTo(before.getString("created_at")))
                .extract().jsonPath();
        assertTrue(Instant.parse(after.getString("updated_at"))
                .isAfter(Instant.parse(before.getString("updated_at"))));
        given().auth().oauth2(token).get("/api/v1/items/" + id)
                .then().statusCode(200).body("quantity", equalTo(3));
    }

    @Test
    void patchWhenInvalidThen400AndItemUnchanged() {
        String token = ResourceFixtures.newOwner().allScopes();
        long spaceId = ResourceFixtures.newSpace(token, "Garden");
        long id = ResourceFixtures.newItem(token, spaceId, "Rake", 1);
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("quantity", -1))
                .patch("/api/v1/items/" + id)
                .then().statusCode(400).contentType(PROBLEM).body("errors.quantity", notNullValue());
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"quantity\": 2.5}")
                .patch("/api/v1/items/" + id)
                .then().statusCode(400).contentType(PROBLEM);
        given().auth().oauth2(token).contentType(ContentType.JSON).body(body("name", null))
                .patch("/api/v1/items/" + id)
                .then().statusCode(400).contentType(PROBLEM).body("errors.name", notNullValue());

        given().auth().oauth2(token).get("/api/v1/items/" + id)
                .then().statusCode(200).body("name", equalTo("Rake")).body("quantity", equalTo(1));
    }

    @Test
    void deleteWhenOwnItemThen204AndGone() {
        String token = ResourceFixtures.newOwner().allScopes();
        long spaceId = ResourceFixtures.newSpace(token, "Porch");
        long id = ResourceFixtures.newItem(token, spaceId, "Boots", 2);
        given().auth().oauth2(token).delete("/api/v1/items/" + id).then().statusCode(204);
        given().auth().oauth2(token).get("/api/v1/items/" + id).then().statusCode(404).contentType(PROBLEM);
        given().auth().oauth2(token).delete("/api/v1/items/" + id).then().statusCode(404);
        given().auth().oauth2(token).get("/api/v1/spaces/" + spaceId).then().statusCode(200);
    }

    @Test
    void deleteSpaceWhenItHoldsItemsThenItemsDeletedWithIt() {
        String token = ResourceFixtures.newOwner().allScopes();
        long spaceId = ResourceFixtures.newSpace(token, "Boxroom");
        long kept = ResourceFixtures.newSpace(token, "Kept");
        List<Long> items = List.of(ResourceFixtures.newItem(token, spaceId, "Box 1", 1),
                ResourceFixtures.newItem(token, spaceId, "Box 2", 2));
        long other = ResourceFixtures.newItem(token, kept, "Stays", 1);
        assertEquals(2, rowsOf("items", "space_id", spaceId));

        given().auth().oauth2(token).delete("/api/v1/spaces/" + spaceId).then().statusCode(204);

        assertEquals(0, rowsOf("items", "space_id", spaceId), "the items rows are gone, not just hidden");
        for (long id : items) {
            given().auth().oauth2(token).get("/api/v1/items/" + id).then().statusCode(404);
        }
        given().auth().oauth2(token).get("/api/v1/spaces/" + spaceId + "/items").then().statusCode(404);
        given().auth().oauth2(token).get("/api/v1/items/" + other).then().statusCode(200);
    }

    @Test
    void otherUsersItemsWhenReadChangedOrDeletedThen404AndUntouched() {
        String ownerToken = ResourceFixtures.newOwner().allScopes();
        String strangerToken = ResourceFixtures.newOwner().allScopes();
        long spaceId = ResourceFixtures.newSpace(ownerToken, "Safe");
        long id = ResourceFixtures.newItem(ownerToken, spaceId, "Passport", 1);

        given().auth().oauth2(strangerToken).get("/api/v1/items/" + id)
                .then().statusCode(404).contentType(PROBLEM);
        given().auth().oauth2(strangerToken).contentType(ContentType.JSON).body(Map.of("quantity", 0))
                .patch("/api/v1/items/" + id)
                .then().statusCode(404).contentType(PROBLEM);
        given().auth().oauth2(strangerToken).delete("/api/v1/items/" + id)
                .then().statusCode(404).contentType(PROBLEM);
        given().auth().oauth2(strangerToken).get("/api/v1/spaces/" + spaceId + "/items")
                .then().statusCode(404).contentType(PROBLEM);
        given().auth().oauth2(strangerToken).contentType(ContentType.JSON).body(Map.of("name", "Planted"))
                .post("/api/v1/spaces/" + spaceId + "/items")
                .then().statusCode(404).contentType(PROBLEM);

        given().auth().oauth2(ownerToken).get("/api/v1/items/" + id)
                .then().statusCode(200).body("name", equalTo("Passport")).body("quantity", equalTo(1));
        assertEquals(1, rowsOf("items", "space_id", spaceId));
    }

    @Test
    void listWhen120ItemsThenDefaultPagesOf50WithNextLinksCoverEachItemOnceInOrder() {
        String token = ResourceFixtures.newOwner().allScopes();
        long spaceId = ResourceFixtures.newSpace(token, "Stockroom");
        long otherSpace = ResourceFixtures.newSpace(token, "Elsewhere");
        List<Long> created = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            created.add(ResourceFixtures.newItem(token, spaceId, "Item " + i, i));
            if (i % 40 == 0) {
                ResourceFixtures.newItem(token, otherSpace, "Interleaved " + i, 1);
            }
        }
        String first = "/api/v1/spaces/" + spaceId + "/items";

        List<List<Long>> pages = ResourceFixtures.allPages(token, first);

        assertEquals(List.of(50, 50, 20), pages.stream().map(List::size).toList());
        assertEquals(created, pages.stream().flatMap(List::stream).toList());
        Response page = given().auth().oauth2(token).get(first);
        page.then().statusCode(200)
                .header("Link", matchesPattern("<http[^>]*/api/v1/spaces/" + spaceId
                        + "/items\\?[^>]*cursor=[A-Za-z0-9_-]+[^>]*>; rel=\"next\""))
                .body("[0].space_id", equalTo((int) spaceId))
                .body("[0].name", equalTo("Item 0"));
    }

    @Test
    void listWhenItemsChangedBehindTheKeptPageThenEveryChangeShowsAtOnce() {
        String token = ResourceFixtures.newOwner().allScopes();
        long spaceId = ResourceFixtures.newSpace(token, "Pantry");
        long first = ResourceFixtures.newItem(token, spaceId, "Rice", 1);
        long second = ResourceFixtures.newItem(token, spaceId, "Beans", 2);
        String page = "/api/v1/spaces/" + spaceId + "/items";
        given().auth().oauth2(token).get(page).then().statusCode(200).body("name", contains("Rice", "Beans"));

        // Written straight to the database, as another instance would: the kept page must not hide any of it.
        update("update items set name = 'Brown rice' where id = $1", first);
        given().auth().oauth2(token).get(page).then().statusCode(200).body("name", contains("Brown rice", "Beans"));
        update("delete from items where id = $1", second);
        given().auth().oauth2(token).get(page).then().statusCode(200).body("name", contains("Brown rice"));
        update("insert into items (space_id, name, quantity) values ($1, 'Lentils', 3)", spaceId);
        given().auth().oauth2(token).get(page).then().statusCode(200).body("name", contains("Brown rice", "Lentils"));

        String stranger = ResourceFixtures.newOwner().allScopes();
        given().auth().oauth2(stranger).get(page).then().statusCode(404);
    }

    private void update(String sql, long value) {
        pool.preparedQuery(sql).execute(Tuple.of(value)).await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void listWhenLimitGivenThenPagesOfThatSizeAndLastHasNoLink() {
        String token = ResourceFixtures.newOwner().allScopes();
        long spaceId = ResourceFixtures.newSpace(token, "Drawer");
        List<Long> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(ResourceFixtures.newItem(token, spaceId, "Spoon " + i, 1));
        }
        List<List<Long>> pages = ResourceFixtures.allPages(token, "/api/v1/spaces/" + spaceId + "/items?limit=2");
        assertEquals(List.of(2, 2, 1), pages.stream().map(List::size).toList());
        assertEquals(created, pages.stream().flatMap(List::stream).toList());

        Response all = given().auth().oauth2(token).get("/api/v1/spaces/" + spaceId + "/items?limit=200");
        all.then().statusCode(200).body("size()", equalTo(5));
        assertNull(all.header("Link"));
    }

    @Test
    void listWhenItemAddedBetweenPagesThenNothingSkippedOrRepeated() {
        String token = ResourceFixtures.newOwner().allScopes();
        long spaceId = ResourceFixtures.newSpace(token, "Fridge");
        List<Long> created = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            created.add(ResourceFixtures.newItem(token, spaceId, "Egg " + i, 1));
        }
        Response first = given().auth().oauth2(token).get("/api/v1/spaces/" + spaceId + "/items?limit=2");
        given().auth().oauth2(token).delete("/api/v1/items/" + created.get(0)).then().statusCode(204);
        created.add(ResourceFixtures.newItem(token, spaceId, "Egg 4", 1));

        List<Long> seen = new ArrayList<>(first.jsonPath().getList("id", Long.class));
        ResourceFixtures.allPages(token, ResourceFixtures.nextLink(first)).forEach(seen::addAll);
        assertEquals(created, seen);
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=0", "limit=500", "limit=ten", "cursor=%%%"})
    void listWhenLimitOrCursorInvalidThen400Problem(String query) {
        String token = ResourceFixtures.newOwner().allScopes();
        long spaceId = ResourceFixtures.newSpace(token, "Box");
        given().auth().oauth2(token).get("/api/v1/spaces/" + spaceId + "/items?" + query)
                .then().statusCode(400).contentType(PROBLEM);
    }
}
