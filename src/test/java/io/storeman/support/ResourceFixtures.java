package io.storeman.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Spaces, items and scoped tokens for the resource API tests, made through the public API. */
public final class ResourceFixtures {

    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"next\"");

    private ResourceFixtures() {
    }

    /** A user with an application registered for every scope. */
    public record Owner(Account account, App app) {

        /** A fresh access token of this user holding exactly {@code scope} (space-separated). */
        public String token(String scope) {
            return Fixtures.passwordTokens(app, account, scope).accessToken();
        }

        public String allScopes() {
            return token(Fixtures.ALL_SCOPES);
        }
    }

    public static Owner newOwner() {
        Account account = Fixtures.newUser();
        return new Owner(account, Fixtures.newApp(account, Fixtures.ALL_SCOPES));
    }

    public static long newSpace(String token, String name) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("name", name, "description", "about " + name))
                .post("/api/v1/spaces")
                .then().statusCode(201)
                .extract().jsonPath().getLong("id");
    }

    public static long newItem(String token, long spaceId, String name, int quantity) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("name", name, "quantity", quantity))
                .post("/api/v1/spaces/" + spaceId + "/items")
                .then().statusCode(201)
                .extract().jsonPath().getLong("id");
    }

    /** The target of {@code Link: <...>; rel="next"}, or null when the header is absent or has no next link. */
    public static String nextLink(Response response) {
        String link = response.header("Link");
        if (link == null) {
            return null;
        }
        Matcher matcher = NEXT.matcher(link);
        return matcher.find() ? matcher.group(1) : null;
    }

    /** Every page of a list, following next links from {@code firstUrl}: the ids of each page in order. */
    public static List<List<Long>> allPages(String token, String firstUrl) {
        List<List<Long>> pages = new ArrayList<>();
        String url = firstUrl;
        while (url != null) {
            Response response = given().auth().oauth2(token).get(url);
            response.then().statusCode(200);
            pages.add(response.jsonPath().getList("id", Long.class));
            url = nextLink(response);
            if (pages.size() > 1000) {
                throw new AssertionError("the next links never end");
            }
        }
        return pages;
    }

    /** A JSON body of the given fields, values allowed to be null. */
    public static Map<String, Object> body(Object... keysAndValues) {
        Map<String, Object> body = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            body.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return body;
    }
}
