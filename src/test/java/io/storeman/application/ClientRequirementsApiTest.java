package io.storeman.application;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The two client requirements of the application API (issue 22): {@code dpop_bound_access_tokens} and
 * {@code require_pushed_authorization_requests}, booleans defaulting to false, on create, PATCH and in the view, a
 * value of another type refused with a 400 naming its field.
 */
@QuarkusTest
class ClientRequirementsApiTest {

    private static final String APPLICATIONS = "/api/v1/oauth/applications";
    private static final String DPOP = "dpop_bound_access_tokens";
    private static final String PAR = "require_pushed_authorization_requests";

    private static RequestSpecification as(Account account) {
        return given().auth().preemptive().basic(account.email(), account.password());
    }

    private static ValidatableResponse create(Account owner, Map<String, Object> body) {
        return as(owner).contentType(ContentType.JSON).body(body).post(APPLICATIONS).then();
    }

    private static ValidatableResponse patch(Account owner, long id, String body) {
        return as(owner).contentType(ContentType.JSON).body(body).patch(APPLICATIONS + "/" + id).then();
    }

    private static ValidatableResponse view(Account owner, long id) {
        return as(owner).get(APPLICATIONS + "/" + id).then().statusCode(200);
    }

    private static Map<String, Object> body(Object... fields) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "Script");
        body.put("scopes", "public");
        for (int i = 0; i < fields.length; i += 2) {
            body.put((String) fields[i], fields[i + 1]);
        }
        return body;
    }

    @Test
    void createWhenFlagsLeftOutOrNullThenBothFalseInTheAnswerAndTheView() {
        Account owner = Fixtures.newUser();
        long id = create(owner, body()).statusCode(201).body(DPOP, equalTo(false)).body(PAR, equalTo(false))
                .extract().jsonPath().getLong("id");
        view(owner, id).body(DPOP, equalTo(false)).body(PAR, equalTo(false));
        Map<String, Object> nulls = body();
        nulls.put(DPOP, null);
        nulls.put(PAR, null);
        create(owner, nulls).statusCode(201).body(DPOP, equalTo(false)).body(PAR, equalTo(false));
    }

    @Test
    void createWhenFlagsTrueThenStoredAndShown() {
        Account owner = Fixtures.newUser();
        long id = create(owner, body(DPOP, true, PAR, true)).statusCode(201)
                .body(DPOP, equalTo(true)).body(PAR, equalTo(true)).extract().jsonPath().getLong("id");
        view(owner, id).body(DPOP, equalTo(true)).body(PAR, equalTo(true));
        as(owner).get(APPLICATIONS).then().statusCode(200).body("[0]." + PAR, equalTo(true));
    }

    @Test
    void createWhenFlagIsNotABooleanThen400NamingItAndNothingStored() {
        Account owner = Fixtures.newUser();
        create(owner, body(DPOP, "true", PAR, 1)).statusCode(400).contentType("application/problem+json")
                .body("errors." + DPOP, equalTo("must be true or false"))
                .body("errors." + PAR, equalTo("must be true or false"));
        as(owner).get(APPLICATIONS).then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void patchWhenFlagsSetOrNullOrLeftOutThenChangedRestoredOrKept() {
        Account owner = Fixtures.newUser();
        long id = create(owner, body()).statusCode(201).extract().jsonPath().getLong("id");
        patch(owner, id, "{\"" + PAR + "\": true}").statusCode(200).body(PAR, equalTo(true)).body(DPOP, equalTo(false));
        patch(owner, id, "{\"" + DPOP + "\": true}").statusCode(200).body(PAR, equalTo(true)).body(DPOP, equalTo(true));
        patch(owner, id, "{\"name\": \"Renamed\"}").statusCode(200).body(PAR, equalTo(true)).body(DPOP, equalTo(true));
        patch(owner, id, "{\"" + PAR + "\": null, \"" + DPOP + "\": false}").statusCode(200)
                .body(PAR, equalTo(false)).body(DPOP, equalTo(false));
        view(owner, id).body(PAR, equalTo(false)).body(DPOP, equalTo(false)).body("name", equalTo("Renamed"));
    }

    @Test
    void patchWhenFlagIsNotABooleanThen400AndUnchanged() {
        Account owner = Fixtures.newUser();
        long id = create(owner, body(PAR, true)).statusCode(201).extract().jsonPath().getLong("id");
        patch(owner, id, "{\"" + PAR + "\": \"false\"}").statusCode(400)
                .body("errors." + PAR, equalTo("must be true or false"));
        patch(owner, id, "{\"" + DPOP + "\": [true]}").statusCode(400)
                .body("errors." + DPOP, equalTo("must be true or false"));
        view(owner, id).body(PAR, equalTo(true)).body(DPOP, equalTo(false)).body("client_id", notNullValue());
    }
}
