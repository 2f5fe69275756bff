package io.storeman.oidc;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.storeman.support.CodeFlow.Client;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * OpenID Connect clients registered through the application API with the registration fields of issue 21
 * ({@code post_logout_redirect_uris}, {@code id_token_signed_response_alg}, {@code subject_type}). Each is
 * confidential (Basic authentication at the token endpoint, as most relying parties on a server are).
 */
public final class OidcClients {

    /** What a relying party asks for: who it is, the e-mail, and one API scope. */
    public static final String SCOPES = "openid email public read_items";

    private OidcClients() {
    }

    /** What to register; the OpenID Connect fields are sent only when they differ from the defaults. */
    public record Registration(String name, String scopes, String redirectUri, List<String> postLogoutRedirectUris,
            String idTokenAlgorithm, String subjectType) {

        /** An RS256, public-subject client of {@link #SCOPES} with a redirect URI unique to it on {@code host}. */
        public static Registration on(String host) {
            return new Registration("Sign-in test app", SCOPES,
                    "https://" + host + "/callback/" + UUID.randomUUID(), List.of(), "RS256", "public");
        }

        /** An RS256, public-subject client of {@link #SCOPES} with exactly this redirect URI. */
        public static Registration redirectingTo(URI redirectUri) {
            return new Registration("Sign-in test app", SCOPES, redirectUri.toString(), List.of(), "RS256",
                    "public");
        }

        public Registration named(String value) {
            return new Registration(value, scopes, redirectUri, postLogoutRedirectUris, idTokenAlgorithm,
                    subjectType);
        }

        public Registration postLogoutRedirectUris(String... values) {
            return new Registration(name, scopes, redirectUri, List.of(values), idTokenAlgorithm, subjectType);
        }

        public Registration idTokenAlgorithm(String value) {
            return new Registration(name, scopes, redirectUri, postLogoutRedirectUris, value, subjectType);
        }

        public Registration subjectType(String value) {
            return new Registration(name, scopes, redirectUri, postLogoutRedirectUris, idTokenAlgorithm, value);
        }
    }

    /** Registers {@code registration} as an application of {@code owner}; the test fails unless it is created. */
    public static Client register(Account owner, Registration registration) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", registration.name());
        body.put("scopes", registration.scopes());
        body.put("confidential", true);
        body.put("redirect_uri", registration.redirectUri());
        if (!registration.postLogoutRedirectUris().isEmpty()) {
            body.put("post_logout_redirect_uris", registration.postLogoutRedirectUris());
        }
        if (!"RS256".equals(registration.idTokenAlgorithm())) {
            body.put("id_token_signed_response_alg", registration.idTokenAlgorithm());
        }
        if (!"public".equals(registration.subjectType())) {
            body.put("subject_type", registration.subjectType());
        }
        JsonPath json = given().auth().preemptive().basic(owner.email(), owner.password())
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/oauth/applications")
                .then().statusCode(201)
                .extract().jsonPath();
        App app = new App(json.getLong("id"), json.getString("client_id"), json.getString("client_secret"),
                json.getString("scopes"));
        return new Client(app, json.getString("redirect_uri"));
    }
}
