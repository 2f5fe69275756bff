package io.storeman.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Pages;
import io.storeman.support.Pages.Browser;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The OpenID Connect fields of the "OAuth applications" pages (docs/security.md O10): post-logout redirect URIs one
 * per line, the ID-token algorithm and the subject type, on the new and edit forms and the application's page, with
 * the API's messages beside the fields.
 */
@QuarkusTest
class ApplicationOpenIdPagesTest {

    private static final String BASE = "/account/oauth/applications";
    private static final String API = "/api/v1/oauth/applications";

    /** A post of the form at {@code formPath}: its CSRF token and its one-time token. */
    private static RequestSpecification post(Browser browser, String formPath) {
        String form = browser.request().get(formPath).then().statusCode(200).extract().asString();
        return browser.request().formParam("_csrf", browser.csrf()).formParam("_once", Pages.onceToken(form));
    }

    /** The new-application form filled in as a browser sends it, with {@code fields} (name, value, ...) on top. */
    private static RequestSpecification newForm(Browser browser, String... fields) {
        RequestSpecification request = post(browser, BASE + "/new").formParam("name", "Relying party")
                .formParam("type", "confidential").formParam("scopes", "openid").formParam("scopes", "public");
        for (int i = 0; i < fields.length; i += 2) {
            request.formParam(fields[i], fields[i + 1]);
        }
        return request;
    }

    /** The application's id, from the 303 that a created or updated application answers. */
    private static long seeOther(Response response) {
        response.then().statusCode(303);
        String path = URI.create(response.getHeader("Location")).getPath();
        return Long.parseLong(path.substring(path.lastIndexOf('/') + 1));
    }

    private static ValidatableResponse viewByApi(Account owner, long id) {
        return given().auth().preemptive().basic(owner.email(), owner.password()).get(API + "/" + id).then()
                .statusCode(200);
    }

    private static long createByApi(Account owner, Map<String, Object> fields) {
        return given().auth().preemptive().basic(owner.email(), owner.password()).contentType(ContentType.JSON)
                .body(fields).post(API).then().statusCode(201).extract().jsonPath().getLong("id");
    }

    @Test
    void newFormWhenOpenedThenOpenIdFieldsWithTheDefaultsChosen() {
        Pages.signIn(Fixtures.newUser()).request().get(BASE + "/new").then().statusCode(200)
                .body(containsString("<legend>OpenID Connect</legend>"))
                .body(containsString("<label for=\"post_logout_redirect_uris\">Post-logout redirect URIs</label>"))
                .body(containsString("<textarea id=\"post_logout_redirect_uris\" name=\"post_logout_redirect_uris\""))
                .body(containsString("one URI per line, at most 5, each matched exactly"))
                .body(containsString("<label for=\"id_token_signed_response_alg\">ID token algorithm</label>"))
                .body(containsString("<option value=\"RS256\" selected>RS256</option>"))
                .body(containsString("<option value=\"ES256\">ES256</option>"))
                .body(containsString("<label for=\"subject_type\">Subject type</label>"))
                .body(containsString("<option value=\"public\" selected>public</option>"))
                .body(containsString("<option value=\"pairwise\">pairwise</option>"));
    }

    @Test
    void createWhenOpenIdFieldsPostedThenStoredAndShownOnTheApplicationPage() {
        Account user = Fixtures.newUser();
        Browser browser = Pages.signIn(user);
        long id = seeOther(newForm(browser, "redirect_uri", "https://rp.example/cb",
                "post_logout_redirect_uris", "https://rp.example/bye\r\n\r\n  http://localhost:3000/bye  \n",
                "id_token_signed_response_alg", "ES256", "subject_type", "pairwise").post(BASE));
        viewByApi(user, id)
                .body("post_logout_redirect_uris", equalTo(List.of("https://rp.example/bye",
                        "http://localhost:3000/bye")))
                .body("id_token_signed_response_alg", equalTo("ES256"))
                .body("subject_type", equalTo("pairwise"));
        browser.request().get(BASE + "/" + id).then().statusCode(200)
                .body(containsString("<dt>Post-logout redirect URIs</dt>"))
                .body(containsString("<code class=\"id\">https://rp.example/bye</code><br>"
                        + "<code class=\"id\">http://localhost:3000/bye</code>"))
                .body(containsString("<dd id=\"id-token-algorithm\">ES256</dd>"))
                .body(containsString("<dd id=\"subject-type\">Pairwise"));
    }

    @Test
    void createWhenOpenIdFieldsLeftEmptyThenTheDefaultsAndNoneShown() {
        Account user = Fixtures.newUser();
        Browser browser = Pages.signIn(user);
        long id = seeOther(newForm(browser, "post_logout_redirect_uris", "",
                "id_token_signed_response_alg", "RS256", "subject_type", "public").post(BASE));
        viewByApi(user, id).body("post_logout_redirect_uris", empty())
                .body("id_token_signed_response_alg", equalTo("RS256")).body("subject_type", equalTo("public"));
        browser.request().get(BASE + "/" + id).then().statusCode(200)
                .body(containsString("<dd id=\"post-logout-redirect-uris\"><span class=\"muted\">None</span></dd>"))
                .body(containsString("<dd id=\"id-token-algorithm\">RS256</dd>"))
                .body(containsString("<dd id=\"subject-type\">Public</dd>"));
    }

    @Test
    void createWhenPostLogoutRedirectUriInvalidThen400WithTheApiMessageBesideTheFieldAndTheTextKept() {
        Account user = Fixtures.newUser();
        Browser browser = Pages.signIn(user);
        newForm(browser, "post_logout_redirect_uris", "https://rp.example/bye\nhttp://rp.example/<b>bye</b>")
                .post(BASE).then().statusCode(400)
                .body(containsString("Please correct the fields marked below."))
                .body(containsString("id=\"post_logout_redirect_uris-error\">Post-logout redirect URIs must each be"
                        + " an absolute"))
                .body(containsString("(number 2 is not).</p>"))
                .body(containsString("aria-invalid=\"true\" aria-describedby=\"post_logout_redirect_uris-hint"
                        + " post_logout_redirect_uris-error\">https://rp.example/bye\nhttp://rp.example/&lt;b&gt;bye"
                        + "&lt;/b&gt;</textarea>"));
        assertNoApplication(user);
    }

    @Test
    void createWhenSixOrRepeatedPostLogoutRedirectUrisThen400WithTheApiMessages() {
        Account user = Fixtures.newUser();
        Browser browser = Pages.signIn(user);
        StringBuilder six = new StringBuilder();
        for (int i = 1; i <= 6; i++) {
            six.append("https://rp.example/bye/").append(i).append('\n');
        }
        newForm(browser, "post_logout_redirect_uris", six.toString()).post(BASE).then().statusCode(400)
                .body(containsString(">Post-logout redirect URIs must be at most 5 URIs.</p>"));
        newForm(browser, "post_logout_redirect_uris", "https://rp.example/bye\nhttps://rp.example/bye")
                .post(BASE).then().statusCode(400)
                .body(containsString(">Post-logout redirect URIs must not list a URI twice (number 2 is listed"
                        + " before).</p>"));
        assertNoApplication(user);
    }

    @Test
    void createWhenAlgorithmOrSubjectTypeUnknownThen400WithMessagesAndNothingSelectedWrongly() {
        Account user = Fixtures.newUser();
        Browser browser = Pages.signIn(user);
        newForm(browser, "id_token_signed_response_alg", "none", "subject_type", "anonymous").post(BASE).then()
                .statusCode(400)
                .body(containsString("id=\"id_token_signed_response_alg-error\">ID token algorithm must be RS256 or"
                        + " ES256.</p>"))
                .body(containsString("id=\"subject_type-error\">Subject type must be public or pairwise.</p>"))
                .body(not(containsString(" selected>")));
        assertNoApplication(user);
    }

    @Test
    void createWhenPairwiseWithoutRedirectUriThen400WithMessageAndChoicesKept() {
        Account user = Fixtures.newUser();
        Browser browser = Pages.signIn(user);
        newForm(browser, "redirect_uri", "", "subject_type", "pairwise", "id_token_signed_response_alg", "ES256")
                .post(BASE).then().statusCode(400)
                .body(containsString("id=\"subject_type-error\">Subject type can be pairwise only with a redirect"
                        + " URI"))
                .body(containsString("<option value=\"pairwise\" selected>pairwise</option>"))
                .body(containsString("<option value=\"ES256\" selected>ES256</option>"));
        assertNoApplication(user);
    }

    @Test
    void editFormWhenOpenedThenTheOpenIdFieldsShowTheirValues() {
        Account user = Fixtures.newUser();
        long id = createByApi(user, Map.of("name", "Relying party", "scopes", "openid",
                "redirect_uri", "https://rp.example/cb", "subject_type", "pairwise",
                "id_token_signed_response_alg", "ES256",
                "post_logout_redirect_uris", List.of("https://rp.example/a", "https://rp.example/b")));
        Pages.signIn(user).request().get(BASE + "/" + id + "/edit").then().statusCode(200)
                .body(containsString(">https://rp.example/a\nhttps://rp.example/b</textarea>"))
                .body(containsString("<option value=\"ES256\" selected>ES256</option>"))
                .body(containsString("<option value=\"pairwise\" selected>pairwise</option>"));
    }

    @Test
    void editWhenOpenIdFieldsChangedThen303AndChangedEverywhere() {
        Account user = Fixtures.newUser();
        long id = createByApi(user, Map.of("name", "Relying party", "scopes", "openid",
                "post_logout_redirect_uris", List.of("https://rp.example/old")));
        Browser browser = Pages.signIn(user);
        post(browser, BASE + "/" + id + "/edit").formParam("name", "Relying party")
                .formParam("redirect_uri", "https://rp.example/cb").formParam("scopes", "openid")
                .formParam("post_logout_redirect_uris", "https://rp.example/new\nhttps://rp.example/newer")
                .formParam("id_token_signed_response_alg", "ES256").formParam("subject_type", "pairwise")
                .post(BASE + "/" + id).then().statusCode(303);
        viewByApi(user, id)
                .body("post_logout_redirect_uris", equalTo(List.of("https://rp.example/new",
                        "https://rp.example/newer")))
                .body("id_token_signed_response_alg", equalTo("ES256"))
                .body("subject_type", equalTo("pairwise"));

        // An emptied box removes them all.
        post(browser, BASE + "/" + id + "/edit").formParam("name", "Relying party")
                .formParam("redirect_uri", "https://rp.example/cb").formParam("scopes", "openid")
                .formParam("post_logout_redirect_uris", "\n")
                .formParam("id_token_signed_response_alg", "ES256").formParam("subject_type", "pairwise")
                .post(BASE + "/" + id).then().statusCode(303);
        viewByApi(user, id).body("post_logout_redirect_uris", empty()).body("subject_type", equalTo("pairwise"));
    }

    @Test
    void editWhenAPostLeavesTheOpenIdFieldsOutThenTheyAreKept() {
        Account user = Fixtures.newUser();
        long id = createByApi(user, Map.of("name", "Relying party", "scopes", "openid",
                "redirect_uri", "https://rp.example/cb", "subject_type", "pairwise",
                "id_token_signed_response_alg", "ES256", "post_logout_redirect_uris", List.of("https://rp.example/a")));
        Browser browser = Pages.signIn(user);
        post(browser, BASE + "/" + id + "/edit").formParam("name", "Renamed")
                .formParam("redirect_uri", "https://rp.example/cb").formParam("scopes", "openid")
                .post(BASE + "/" + id).then().statusCode(303);
        viewByApi(user, id).body("name", equalTo("Renamed"))
                .body("post_logout_redirect_uris", equalTo(List.of("https://rp.example/a")))
                .body("id_token_signed_response_alg", equalTo("ES256"))
                .body("subject_type", equalTo("pairwise"));
    }

    @Test
    void editWhenRedirectUriOfPairwiseApplicationRemovedOrMovedThen400WithMessageAndUnchanged() {
        Account user = Fixtures.newUser();
        long id = createByApi(user, Map.of("name", "Relying party", "scopes", "openid",
                "redirect_uri", "https://rp.example/cb", "subject_type", "pairwise"));
        Browser browser = Pages.signIn(user);
        post(browser, BASE + "/" + id + "/edit").formParam("name", "Relying party").formParam("redirect_uri", "")
                .formParam("scopes", "openid").formParam("subject_type", "pairwise")
                .post(BASE + "/" + id).then().statusCode(400)
                .body(containsString("id=\"redirect_uri-error\">Redirect URI cannot be removed while the subject type"
                        + " is pairwise"));
        post(browser, BASE + "/" + id + "/edit").formParam("name", "Relying party")
                .formParam("redirect_uri", "https://moved.example/cb").formParam("scopes", "openid")
                .post(BASE + "/" + id).then().statusCode(400)
                .body(containsString("id=\"redirect_uri-error\">Redirect URI must keep the host rp.example while the"
                        + " subject type is pairwise"))
                .body(containsString("<option value=\"pairwise\" selected>pairwise</option>"));
        viewByApi(user, id).body("redirect_uri", equalTo("https://rp.example/cb"));
    }

    @Test
    void showWhenPostLogoutRedirectUriHasAnAmpersandThenEscaped() {
        Account user = Fixtures.newUser();
        long id = createByApi(user, Map.of("name", "Relying party", "scopes", "openid",
                "post_logout_redirect_uris", List.of("https://rp.example/bye?from=storeman&to=home")));
        String page = Pages.signIn(user).request().get(BASE + "/" + id).then().statusCode(200).extract().asString();
        assertTrue(page.contains("<code class=\"id\">https://rp.example/bye?from=storeman&amp;to=home</code>"), page);
    }

    private static void assertNoApplication(Account user) {
        given().auth().preemptive().basic(user.email(), user.password()).get(API).then().statusCode(200)
                .body("size()", equalTo(0));
    }
}
