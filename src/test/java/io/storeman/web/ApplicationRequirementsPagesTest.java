package io.storeman.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

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
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The client requirements' checkboxes of the "OAuth applications" pages (issue 22): DPoP-bound access tokens and
 * pushed authorization requests only, on the new and edit forms and the application's page.
 */
@QuarkusTest
class ApplicationRequirementsPagesTest {

    private static final String BASE = "/account/oauth/applications";
    private static final String API = "/api/v1/oauth/applications";
    private static final String DPOP = "dpop_bound_access_tokens";
    private static final String PAR = "require_pushed_authorization_requests";

    private static RequestSpecification post(Browser browser, String formPath) {
        String form = browser.request().get(formPath).then().statusCode(200).extract().asString();
        return browser.request().formParam("_csrf", browser.csrf()).formParam("_once", Pages.onceToken(form));
    }

    private static RequestSpecification newForm(Browser browser) {
        return post(browser, BASE + "/new").formParam("name", "Script").formParam("type", "public")
                .formParam("scopes", "public").formParam("redirect_uri", "https://app.example/cb");
    }

    private static long seeOther(Response response) {
        response.then().statusCode(303);
        String path = URI.create(response.getHeader("Location")).getPath();
        return Long.parseLong(path.substring(path.lastIndexOf('/') + 1));
    }

    private static ValidatableResponse viewByApi(Account owner, long id) {
        return given().auth().preemptive().basic(owner.email(), owner.password()).get(API + "/" + id).then()
                .statusCode(200);
    }

    @Test
    void newFormWhenOpenedThenBothCheckboxesUnchecked() {
        String page = Pages.signIn(Fixtures.newUser()).request().get(BASE + "/new").then().statusCode(200)
                .extract().asString();
        org.junit.jupiter.api.Assertions.assertTrue(page.contains("name=\"" + DPOP + "\" value=\"true\" "
                + "aria-describedby"), page);
        org.junit.jupiter.api.Assertions.assertTrue(page.contains("name=\"" + PAR + "\" value=\"true\" "
                + "aria-describedby"), page);
    }

    @Test
    void createWhenCheckedThenStoredAndShownOnTheApplicationPageAndTheEditForm() {
        Account user = Fixtures.newUser();
        Browser browser = Pages.signIn(user);
        long id = seeOther(newForm(browser).formParam(DPOP, "true").formParam(PAR, "true").post(BASE));
        viewByApi(user, id).body(DPOP, equalTo(true)).body(PAR, equalTo(true));
        browser.request().get(BASE + "/" + id).then().statusCode(200)
                .body(containsString("<dd id=\"dpop-bound-access-tokens\">Required</dd>"))
                .body(containsString("<dd id=\"require-pushed-authorization-requests\">Required</dd>"));
        browser.request().get(BASE + "/" + id + "/edit").then().statusCode(200)
                .body(containsString("name=\"" + DPOP + "\" value=\"true\" checked"))
                .body(containsString("name=\"" + PAR + "\" value=\"true\" checked"));
    }

    @Test
    void createWhenUncheckedThenNotRequired() {
        Account user = Fixtures.newUser();
        Browser browser = Pages.signIn(user);
        long id = seeOther(newForm(browser).post(BASE));
        viewByApi(user, id).body(DPOP, equalTo(false)).body(PAR, equalTo(false));
        browser.request().get(BASE + "/" + id).then().statusCode(200)
                .body(containsString("<dd id=\"dpop-bound-access-tokens\">Not required</dd>"))
                .body(containsString("<dd id=\"require-pushed-authorization-requests\">Not required</dd>"));
    }

    @Test
    void editWhenCheckedThenUncheckedThenChangedEachTime() {
        Account user = Fixtures.newUser();
        long id = given().auth().preemptive().basic(user.email(), user.password()).contentType(ContentType.JSON)
                .body(Map.of("name", "Script", "scopes", "public", "redirect_uri", "https://app.example/cb"))
                .post(API).then().statusCode(201).extract().jsonPath().getLong("id");
        Browser browser = Pages.signIn(user);
        post(browser, BASE + "/" + id + "/edit").formParam("name", "Script").formParam("scopes", "public")
                .formParam("redirect_uri", "https://app.example/cb").formParam(PAR, "true")
                .post(BASE + "/" + id).then().statusCode(303);
        viewByApi(user, id).body(PAR, equalTo(true)).body(DPOP, equalTo(false));
        post(browser, BASE + "/" + id + "/edit").formParam("name", "Script").formParam("scopes", "public")
                .formParam("redirect_uri", "https://app.example/cb").formParam(DPOP, "true")
                .post(BASE + "/" + id).then().statusCode(303);
        viewByApi(user, id).body(PAR, equalTo(false)).body(DPOP, equalTo(true));
    }

    @Test
    void createOrEditWhenCheckboxValueForgedThen400WithMessageAndNothingChanged() {
        Account user = Fixtures.newUser();
        Browser browser = Pages.signIn(user);
        newForm(browser).formParam(PAR, "yes").post(BASE).then().statusCode(400)
                .body(containsString("Pushed authorization requests must be checked or not."));
        given().auth().preemptive().basic(user.email(), user.password()).get(API).then().body("size()", equalTo(0));
        long id = seeOther(newForm(browser).formParam(DPOP, "true").post(BASE));
        post(browser, BASE + "/" + id + "/edit").formParam("name", "Script").formParam("scopes", "public")
                .formParam("redirect_uri", "https://app.example/cb").formParam(DPOP, "on")
                .post(BASE + "/" + id).then().statusCode(400)
                .body(containsString("DPoP-bound access tokens must be checked or not."))
                .body(not(containsString("name=\"" + DPOP + "\" value=\"true\" checked")));
        viewByApi(user, id).body(DPOP, equalTo(true));
    }
}
