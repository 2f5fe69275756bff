package io.storeman.application;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The OpenID Connect registration fields of the application API (docs/security.md O10): post_logout_redirect_uris,
 * id_token_signed_response_alg and subject_type on create, PATCH and in the view, each refused with a 400 naming it.
 */
@QuarkusTest
class OpenIdRegistrationApiTest {

    private static final String APPLICATIONS = "/api/v1/oauth/applications";
    private static final String FIELD = "errors.post_logout_redirect_uris";

    private static RequestSpecification as(Account account) {
        return given().auth().preemptive().basic(account.email(), account.password());
    }

    private static ValidatableResponse create(Account owner, Object body) {
        return as(owner).contentType(ContentType.JSON).body(body).post(APPLICATIONS).then();
    }

    private static ValidatableResponse patch(Account owner, long id, Object body) {
        return as(owner).contentType(ContentType.JSON).body(body).patch(APPLICATIONS + "/" + id).then();
    }

    private static ValidatableResponse view(Account owner, long id) {
        return as(owner).get(APPLICATIONS + "/" + id).then().statusCode(200);
    }

    private static ValidatableResponse problem(ValidatableResponse response) {
        return response.statusCode(400).contentType("application/problem+json").body("status", equalTo(400));
    }

    /** A registration with a name, the scopes openid and public, and {@code fields} (name, value, ...). */
    private static Map<String, Object> body(Object... fields) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "Relying party");
        body.put("scopes", "openid public");
        for (int i = 0; i < fields.length; i += 2) {
            body.put((String) fields[i], fields[i + 1]);
        }
        return body;
    }

    private static long created(Account owner, Object... fields) {
        return create(owner, body(fields)).statusCode(201).extract().jsonPath().getLong("id");
    }

    private static void nothingStored(Account owner) {
        as(owner).get(APPLICATIONS).then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void openApiWhenFetchedThenCreatePatchAndViewDescribeTheOpenIdFields() {
        JsonPath document = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().jsonPath();
        String one = "paths.'" + APPLICATIONS + "/{id}'";
        String create = schemaName(document.getString("paths.'" + APPLICATIONS
                + "'.post.requestBody.content.'application/json'.schema.'$ref'"));
        String patch = schemaName(document.getString(one
                + ".patch.requestBody.content.'application/json'.schema.'$ref'"));
        String view = schemaName(document.getString(one
                + ".get.responses.'200'.content.'application/json'.schema.'$ref'"));
        for (String schema : List.of(create, patch, view)) {
            String properties = "components.schemas." + schema + ".properties";
            assertTrue(document.getString(properties + ".post_logout_redirect_uris.type").contains("array"), schema);
            assertEquals("string", document.getString(properties + ".post_logout_redirect_uris.items.type"), schema);
            assertEquals(List.of("RS256", "ES256"),
                    document.getList(properties + ".id_token_signed_response_alg.enum"), schema);
            assertEquals(List.of("public", "pairwise"), document.getList(properties + ".subject_type.enum"), schema);
            assertTrue(document.getString(properties + ".id_token_signed_response_alg.type").contains("string"));
            assertTrue(document.getString(properties + ".subject_type.type").contains("string"));
        }
        String properties = "components.schemas." + create + ".properties";
        assertEquals(5, document.getInt(properties + ".post_logout_redirect_uris.maxItems"));
        assertEquals("RS256", document.getString(properties + ".id_token_signed_response_alg.default"));
        assertEquals("public", document.getString(properties + ".subject_type.default"));
    }

    private static String schemaName(String reference) {
        assertTrue(reference != null && reference.startsWith("#/components/schemas/"), String.valueOf(reference));
        return reference.substring("#/components/schemas/".length());
    }

    @Test
    void createWhenOpenIdFieldsLeftOutThenDefaultsInEveryView() {
        Account owner = Fixtures.newUser();
        long id = create(owner, body()).statusCode(201)
                .body("post_logout_redirect_uris", empty())
                .body("id_token_signed_response_alg", equalTo("RS256"))
                .body("subject_type", equalTo("public"))
                .extract().jsonPath().getLong("id");
        view(owner, id)
                .body("post_logout_redirect_uris", empty())
                .body("id_token_signed_response_alg", equalTo("RS256"))
                .body("subject_type", equalTo("public"));
        as(owner).get(APPLICATIONS).then().statusCode(200)
                .body("[0].post_logout_redirect_uris", empty())
                .body("[0].id_token_signed_response_alg", equalTo("RS256"))
                .body("[0].subject_type", equalTo("public"));
    }

    @Test
    void createWhenOpenIdFieldsNullThenDefaults() {
        Account owner = Fixtures.newUser();
        create(owner, body("post_logout_redirect_uris", null, "id_token_signed_response_alg", null,
                "subject_type", null)).statusCode(201)
                .body("post_logout_redirect_uris", empty())
                .body("id_token_signed_response_alg", equalTo("RS256"))
                .body("subject_type", equalTo("public"));
    }

    @Test
    void createWhenOpenIdFieldsGivenThenStoredAndShownInOrder() {
        Account owner = Fixtures.newUser();
        List<String> uris = List.of("https://rp.example/signed-out", "http://localhost:3000/bye?from=storeman");
        long id = create(owner, body("redirect_uri", "https://rp.example/callback", "post_logout_redirect_uris", uris,
                "id_token_signed_response_alg", "ES256", "subject_type", "pairwise")).statusCode(201)
                .body("post_logout_redirect_uris", equalTo(uris))
                .body("id_token_signed_response_alg", equalTo("ES256"))
                .body("subject_type", equalTo("pairwise"))
                .extract().jsonPath().getLong("id");
        view(owner, id)
                .body("post_logout_redirect_uris", equalTo(uris))
                .body("id_token_signed_response_alg", equalTo("ES256"))
                .body("subject_type", equalTo("pairwise"))
                .body("$", not(hasKey("client_secret")));
    }

    @Test
    void createWhenPostLogoutRedirectUriHasSurroundingSpacesThenStoredStripped() {
        create(Fixtures.newUser(), body("post_logout_redirect_uris", List.of(" https://rp.example/bye  ")))
                .statusCode(201).body("post_logout_redirect_uris", equalTo(List.of("https://rp.example/bye")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://rp.example/bye", "/bye", "https://rp.example/bye#top", "javascript:alert(1)",
        "ftp://rp.example/bye", "https:///no-host", "https://rp.example/ bye", "", "  ",
        "https://rp.example/\u0000", "https://rp.example/\ud800"})
    void createWhenPostLogoutRedirectUriBreaksTheRedirectUriRulesThen400NamingTheFieldAndNothingStored(
            String uri) {
        Account owner = Fixtures.newUser();
        problem(create(owner, body("post_logout_redirect_uris", List.of("https://rp.example/ok", uri))))
                .body(FIELD, containsString("must each be an absolute"))
                .body(FIELD, containsString("number 2"));
        nothingStored(owner);
    }

    @Test
    void createWhenPostLogoutRedirectUriOver2000CharactersThen400AndAt2000Then201() {
        Account owner = Fixtures.newUser();
        String prefix = "https://rp.example/";
        String at2000 = prefix + "a".repeat(2000 - prefix.length());
        problem(create(owner, body("post_logout_redirect_uris", List.of(at2000 + "a"))))
                .body(FIELD, equalTo("must each be an absolute https URI of at most 2000 characters (number 1 is"
                        + " not)"));
        create(owner, body("post_logout_redirect_uris", List.of(at2000))).statusCode(201);
    }

    @Test
    void createWhenSixPostLogoutRedirectUrisThen400AndFiveThen201() {
        Account owner = Fixtures.newUser();
        List<String> uris = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            uris.add("https://rp.example/bye/" + i);
        }
        problem(create(owner, body("post_logout_redirect_uris", uris))).body(FIELD, equalTo("must be at most 5 URIs"));
        nothingStored(owner);
        create(owner, body("post_logout_redirect_uris", uris.subList(0, 5))).statusCode(201)
                .body("post_logout_redirect_uris.size()", equalTo(5));
    }

    @Test
    void createWhenPostLogoutRedirectUriListedTwiceThen400() {
        Account owner = Fixtures.newUser();
        problem(create(owner, body("post_logout_redirect_uris", List.of("https://rp.example/bye",
                "https://rp.example/other", " https://rp.example/bye"))))
                .body(FIELD, equalTo("must not list a URI twice (number 3 is listed before)"));
        nothingStored(owner);
    }

    @Test
    void createWhenOpenIdFieldsHaveWrongJsonTypesThen400NamingEachField() {
        Account owner = Fixtures.newUser();
        problem(create(owner, body("post_logout_redirect_uris", "https://rp.example/bye",
                "id_token_signed_response_alg", 256, "subject_type", true)))
                .body(FIELD, equalTo("must be an array of strings"))
                .body("errors.id_token_signed_response_alg", equalTo("must be a string"))
                .body("errors.subject_type", equalTo("must be a string"));
        problem(create(owner, body("post_logout_redirect_uris", List.of(1, 2)))).body(FIELD,
                equalTo("must be an array of strings"));
        problem(create(owner, "{\"name\": \"x\", \"scopes\": \"openid\", \"post_logout_redirect_uris\": [null]}"))
                .body(FIELD, equalTo("must be an array of strings"));
        problem(create(owner, body("post_logout_redirect_uris", Map.of("uri", "https://rp.example/bye"))))
                .body(FIELD, equalTo("must be an array of strings"));
        nothingStored(owner);
    }

    @ParameterizedTest
    @ValueSource(strings = {"HS256", "none", "rs256", "RS512", "PS256", ""})
    void createWhenIdTokenAlgorithmOtherThanRs256OrEs256Then400(String algorithm) {
        Account owner = Fixtures.newUser();
        problem(create(owner, body("id_token_signed_response_alg", algorithm)))
                .body("errors.id_token_signed_response_alg", equalTo("must be RS256 or ES256"));
        nothingStored(owner);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Public", "PAIRWISE", "ppid", ""})
    void createWhenSubjectTypeOtherThanPublicOrPairwiseThen400(String subjectType) {
        Account owner = Fixtures.newUser();
        problem(create(owner, body("subject_type", subjectType)))
                .body("errors.subject_type", equalTo("must be public or pairwise"));
        nothingStored(owner);
    }

    @Test
    void createWhenPairwiseWithoutRedirectUriThen400() {
        Account owner = Fixtures.newUser();
        problem(create(owner, body("subject_type", "pairwise")))
                .body("errors.subject_type", containsString("only with a redirect URI"));
        problem(create(owner, body("subject_type", "pairwise", "redirect_uri", "")))
                .body("errors.subject_type", containsString("only with a redirect URI"));
        nothingStored(owner);
    }

    @Test
    void createWhenPairwiseWithBadRedirectUriThenOnlyTheRedirectUriIsNamed() {
        problem(create(Fixtures.newUser(), body("subject_type", "pairwise", "redirect_uri", "http://rp.example/cb")))
                .body("errors.redirect_uri", containsString("https"))
                .body("errors", not(hasKey("subject_type")));
    }

    @Test
    void createWhenSeveralOpenIdFieldsBadThenEveryFieldNamed() {
        problem(create(Fixtures.newUser(), body("name", "", "post_logout_redirect_uris", List.of("/bye"),
                "id_token_signed_response_alg", "none", "subject_type", "secret")))
                .body("errors.name", equalTo("must not be blank"))
                .body(FIELD, containsString("must each be"))
                .body("errors.id_token_signed_response_alg", equalTo("must be RS256 or ES256"))
                .body("errors.subject_type", equalTo("must be public or pairwise"));
    }

    @Test
    void patchWhenOpenIdFieldsLeftOutThenKept() {
        Account owner = Fixtures.newUser();
        long id = created(owner, "redirect_uri", "https://rp.example/cb",
                "post_logout_redirect_uris", List.of("https://rp.example/bye"),
                "id_token_signed_response_alg", "ES256", "subject_type", "pairwise");
        patch(owner, id, Map.of("name", "Renamed")).statusCode(200)
                .body("post_logout_redirect_uris", equalTo(List.of("https://rp.example/bye")))
                .body("id_token_signed_response_alg", equalTo("ES256"))
                .body("subject_type", equalTo("pairwise"));
    }

    @Test
    void patchWhenOpenIdFieldsGivenThenChangedAndShown() {
        Account owner = Fixtures.newUser();
        long id = created(owner, "redirect_uri", "https://rp.example/cb");
        patch(owner, id, Map.of("post_logout_redirect_uris", List.of("https://rp.example/a", "https://rp.example/b"),
                "id_token_signed_response_alg", "ES256", "subject_type", "pairwise")).statusCode(200)
                .body("post_logout_redirect_uris", equalTo(List.of("https://rp.example/a", "https://rp.example/b")))
                .body("id_token_signed_response_alg", equalTo("ES256"))
                .body("subject_type", equalTo("pairwise"));
        view(owner, id)
                .body("post_logout_redirect_uris", equalTo(List.of("https://rp.example/a", "https://rp.example/b")))
                .body("id_token_signed_response_alg", equalTo("ES256"))
                .body("subject_type", equalTo("pairwise"));
        patch(owner, id, Map.of("id_token_signed_response_alg", "RS256", "subject_type", "public")).statusCode(200);
        view(owner, id).body("id_token_signed_response_alg", equalTo("RS256")).body("subject_type", equalTo("public"));
    }

    @Test
    void patchWhenPostLogoutRedirectUrisNullOrEmptyThenRemoved() {
        Account owner = Fixtures.newUser();
        long id = created(owner, "post_logout_redirect_uris", List.of("https://rp.example/bye"));
        Map<String, Object> clear = new HashMap<>();
        clear.put("post_logout_redirect_uris", null);
        patch(owner, id, clear).statusCode(200).body("post_logout_redirect_uris", empty());
        view(owner, id).body("post_logout_redirect_uris", empty());

        patch(owner, id, Map.of("post_logout_redirect_uris", List.of("https://rp.example/again"))).statusCode(200);
        patch(owner, id, Map.of("post_logout_redirect_uris", List.of())).statusCode(200)
                .body("post_logout_redirect_uris", empty());
        view(owner, id).body("post_logout_redirect_uris", empty());
    }

    @Test
    void patchWhenAlgorithmOrSubjectTypeNullThenTheDefaultIsRestored() {
        Account owner = Fixtures.newUser();
        long id = created(owner, "redirect_uri", "https://rp.example/cb", "id_token_signed_response_alg", "ES256",
                "subject_type", "pairwise");
        Map<String, Object> body = new HashMap<>();
        body.put("id_token_signed_response_alg", null);
        body.put("subject_type", null);
        patch(owner, id, body).statusCode(200)
                .body("id_token_signed_response_alg", equalTo("RS256"))
                .body("subject_type", equalTo("public"));
    }

    @Test
    void patchWhenOpenIdValuesInvalidThen400NamingEachAndNothingChanged() {
        Account owner = Fixtures.newUser();
        long id = created(owner, "post_logout_redirect_uris", List.of("https://rp.example/bye"));
        problem(patch(owner, id, Map.of("name", "Changed", "post_logout_redirect_uris",
                List.of("https://rp.example/x", "https://rp.example/x"), "id_token_signed_response_alg", "HS256",
                "subject_type", "anonymous")))
                .body(FIELD, containsString("twice"))
                .body("errors.id_token_signed_response_alg", equalTo("must be RS256 or ES256"))
                .body("errors.subject_type", equalTo("must be public or pairwise"));
        problem(patch(owner, id, Map.of("post_logout_redirect_uris", "https://rp.example/x",
                "id_token_signed_response_alg", List.of("RS256"), "subject_type", 1)))
                .body(FIELD, equalTo("must be an array of strings"))
                .body("errors.id_token_signed_response_alg", equalTo("must be a string"))
                .body("errors.subject_type", equalTo("must be a string"));
        view(owner, id).body("name", equalTo("Relying party"))
                .body("post_logout_redirect_uris", equalTo(List.of("https://rp.example/bye")))
                .body("id_token_signed_response_alg", equalTo("RS256"))
                .body("subject_type", equalTo("public"));
    }

    @Test
    void patchWhenPairwiseWithoutRedirectUriThen400AndWithOneThenChanged() {
        Account owner = Fixtures.newUser();
        long id = created(owner);
        problem(patch(owner, id, Map.of("subject_type", "pairwise")))
                .body("errors.subject_type", containsString("only with a redirect URI"));
        view(owner, id).body("subject_type", equalTo("public"));
        patch(owner, id, Map.of("subject_type", "pairwise", "redirect_uri", "https://rp.example/cb")).statusCode(200)
                .body("subject_type", equalTo("pairwise"));
    }

    @Test
    void patchWhenRedirectUriOfPairwiseApplicationRemovedThen400AndKept() {
        Account owner = Fixtures.newUser();
        long id = created(owner, "redirect_uri", "https://rp.example/cb", "subject_type", "pairwise");
        Map<String, Object> body = new HashMap<>();
        body.put("redirect_uri", null);
        problem(patch(owner, id, body)).body("errors.redirect_uri", containsString("cannot be removed"));
        problem(patch(owner, id, Map.of("redirect_uri", ""))).body("errors.redirect_uri",
                containsString("cannot be removed"));
        view(owner, id).body("redirect_uri", equalTo("https://rp.example/cb"));
        // Back to public subjects, the redirect URI may go.
        patch(owner, id, Map.of("subject_type", "public", "redirect_uri", "")).statusCode(200);
    }

    @Test
    void patchWhenRedirectUriHostOfPairwiseApplicationChangedThen400ButAnotherPathIsFine() {
        Account owner = Fixtures.newUser();
        long id = created(owner, "redirect_uri", "https://rp.example/cb", "subject_type", "pairwise");
        problem(patch(owner, id, Map.of("redirect_uri", "https://elsewhere.example/cb")))
                .body("errors.redirect_uri", containsString("must keep the host rp.example"));
        view(owner, id).body("redirect_uri", equalTo("https://rp.example/cb"));
        patch(owner, id, Map.of("redirect_uri", "https://RP.example:443/other/callback")).statusCode(200)
                .body("redirect_uri", equalTo("https://RP.example:443/other/callback"));
    }

    /** Two changes at once, each fine alone, must not together leave a pairwise application without a sector. */
    @Test
    void patchWhenPairwiseAndRedirectUriRemovalRaceThenNeverPairwiseWithoutRedirectUri() throws Exception {
        Account owner = Fixtures.newUser();
        Map<String, Object> removal = new HashMap<>();
        removal.put("redirect_uri", null);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                long id = created(owner, "redirect_uri", "https://rp.example/cb");
                CountDownLatch start = new CountDownLatch(1);
                Future<Integer> pairwise = pool.submit(() -> {
                    start.await();
                    return as(owner).contentType(ContentType.JSON).body(Map.of("subject_type", "pairwise"))
                            .patch(APPLICATIONS + "/" + id).statusCode();
                });
                Future<Integer> removed = pool.submit(() -> {
                    start.await();
                    return as(owner).contentType(ContentType.JSON).body(removal)
                            .patch(APPLICATIONS + "/" + id).statusCode();
                });
                start.countDown();
                // Whichever comes second sees the other's result and is refused.
                assertEquals(List.of(200, 400), List.of(pairwise.get(), removed.get()).stream().sorted().toList(),
                        "round " + round);
                JsonPath now = view(owner, id).extract().jsonPath();
                assertTrue(!"pairwise".equals(now.getString("subject_type")) || now.getString("redirect_uri") != null,
                        "pairwise without a redirect URI in round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void patchWhenSwitchingToPairwiseWithANewHostThenChanged() {
        Account owner = Fixtures.newUser();
        long id = created(owner, "redirect_uri", "https://old.example/cb");
        patch(owner, id, Map.of("subject_type", "pairwise", "redirect_uri", "https://new.example/cb"))
                .statusCode(200).body("subject_type", equalTo("pairwise"))
                .body("redirect_uri", equalTo("https://new.example/cb"));
    }
}
