package io.storeman.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.quarkus.security.Authenticated;
import io.quarkus.security.PermissionsAllowed;
import io.quarkus.test.junit.QuarkusTest;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.Tokens;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every JAX-RS resource method of src/main and the requirement it declares (docs/security.md A2): a method missing
 * from {@link #EXPECTED}, or declaring something else, fails the test, so that a new endpoint's access is a decision
 * someone wrote down. {@code permit-all} methods that take credentials check them themselves (client authentication
 * at the OAuth endpoints, Basic or the web session in the account API and pages).
 */
@QuarkusTest
class EndpointRequirementsTest {

    static final String PERMIT_ALL = "permit-all";
    static final String AUTHENTICATED = "authenticated";

    /** "METHOD path" -> permit-all, authenticated, or "scope:" and the scope names. */
    static final Map<String, String> EXPECTED = new TreeMap<>(Map.ofEntries(
            Map.entry("DELETE /api/v1/authorized_applications/{client_id}", "permit-all"),
            Map.entry("DELETE /api/v1/items/{id}", "scope:write_items"),
            Map.entry("DELETE /api/v1/oauth/applications/{id}", "permit-all"),
            Map.entry("DELETE /api/v1/oauth/applications/{id}/secrets/{secretId}", "permit-all"),
            Map.entry("DELETE /api/v1/spaces/{id}", "scope:write_spaces"),
            Map.entry("GET /", "permit-all"),
            Map.entry("GET /.well-known/jwks.json", "permit-all"),
            Map.entry("GET /.well-known/oauth-authorization-server", "permit-all"),
            Map.entry("GET /.well-known/openid-configuration", "permit-all"),
            Map.entry("GET /account", "permit-all"),
            Map.entry("GET /account/authorized_applications", "permit-all"),
            Map.entry("GET /account/authorized_applications/{client_id}/revoke", "permit-all"),
            Map.entry("GET /account/oauth/applications", "permit-all"),
            Map.entry("GET /account/oauth/applications/new", "permit-all"),
            Map.entry("GET /account/oauth/applications/{id}", "permit-all"),
            Map.entry("GET /account/oauth/applications/{id}/delete", "permit-all"),
            Map.entry("GET /account/oauth/applications/{id}/edit", "permit-all"),
            Map.entry("GET /account/oauth/applications/{id}/secret", "permit-all"),
            Map.entry("GET /account/oauth/applications/{id}/secrets/{secretId}/delete", "permit-all"),
            Map.entry("GET /api/v1/authorized_applications", "permit-all"),
            Map.entry("GET /api/v1/items/{id}", "scope:read_items"),
            Map.entry("GET /api/v1/me", "scope:public"),
            Map.entry("GET /api/v1/oauth/applications", "permit-all"),
            Map.entry("GET /api/v1/oauth/applications/{id}", "permit-all"),
            Map.entry("GET /api/v1/oauth/applications/{id}/secrets", "permit-all"),
            Map.entry("GET /api/v1/oauth/applications/{id}/secrets/{secretId}", "permit-all"),
            Map.entry("GET /api/v1/spaces", "scope:read_spaces"),
            Map.entry("GET /api/v1/spaces/{id}", "scope:read_spaces"),
            Map.entry("GET /api/v1/spaces/{spaceId}/items", "scope:read_items"),
            Map.entry("GET /device", "permit-all"),
            Map.entry("GET /oauth/authorize", "permit-all"),
            Map.entry("GET /oauth/logout", "permit-all"),
            Map.entry("GET /oauth/token/info", "authenticated"),
            Map.entry("GET /userinfo", "scope:openid"),
            Map.entry("GET /users/sign_in", "permit-all"),
            Map.entry("GET /users/sign_out", "permit-all"),
            Map.entry("GET /users/sign_up", "permit-all"),
            Map.entry("PATCH /api/v1/items/{id}", "scope:write_items"),
            Map.entry("PATCH /api/v1/oauth/applications/{id}", "permit-all"),
            Map.entry("PATCH /api/v1/spaces/{id}", "scope:write_spaces"),
            Map.entry("POST /account/authorized_applications/{client_id}/revoke", "permit-all"),
            Map.entry("POST /account/oauth/applications", "permit-all"),
            Map.entry("POST /account/oauth/applications/{id}", "permit-all"),
            Map.entry("POST /account/oauth/applications/{id}/delete", "permit-all"),
            Map.entry("POST /account/oauth/applications/{id}/secret", "permit-all"),
            Map.entry("POST /account/oauth/applications/{id}/secrets", "permit-all"),
            Map.entry("POST /account/oauth/applications/{id}/secrets/{secretId}/delete", "permit-all"),
            Map.entry("POST /account/password", "permit-all"),
            Map.entry("POST /api/v1/oauth/applications", "permit-all"),
            Map.entry("POST /api/v1/oauth/applications/{id}/secret", "permit-all"),
            Map.entry("POST /api/v1/oauth/applications/{id}/secrets", "permit-all"),
            Map.entry("POST /api/v1/spaces", "scope:write_spaces"),
            Map.entry("POST /api/v1/spaces/{spaceId}/items", "scope:write_items"),
            Map.entry("POST /api/v1/users", "permit-all"),
            Map.entry("POST /device", "permit-all"),
            Map.entry("POST /oauth/authorize", "permit-all"),
            Map.entry("POST /oauth/device_authorization", "permit-all"),
            Map.entry("POST /oauth/introspect", "permit-all"),
            Map.entry("POST /oauth/logout", "permit-all"),
            Map.entry("POST /oauth/par", "permit-all"),
            Map.entry("POST /oauth/revoke", "permit-all"),
            Map.entry("POST /oauth/token", "permit-all"),
            Map.entry("POST /userinfo", "scope:openid"),
            Map.entry("POST /users/sign_in", "permit-all"),
            Map.entry("POST /users/sign_out", "permit-all"),
            Map.entry("POST /users/sign_up", "permit-all"),
            Map.entry("PUT /api/v1/me/password", "permit-all")
    ));

    @Test
    void everyResourceMethodDeclaresTheRequirementInTheTable() {
        Map<String, String> actual = new TreeMap<>();
        for (JavaClass resource : new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.storeman")) {
            if (resource.isAnnotatedWith(Path.class)) {
                collect(resource.reflect(), actual);
            }
        }
        StringBuilder table = new StringBuilder();
        actual.forEach((endpoint, requirement) -> table.append("            Map.entry(\"").append(endpoint)
                .append("\", \"").append(requirement).append("\"),\n"));
        assertEquals(EXPECTED, actual, "resource methods and their requirements, as found:\n" + table);
    }

    @Test
    void tableWhenMethodDeclaresNothingThenItsRequirementIsNoneAndTheTableFails() {
        Map<String, String> found = new TreeMap<>();
        collect(UndeclaredTestResource.class, found);
        assertEquals(Map.of("GET /api/v1/test-undeclared", "none"), found);
    }

    @Test
    void scopedEndpointWhenNoTokenThen401() {
        given().get("/api/v1/spaces")
                .then().statusCode(401)
                .header("WWW-Authenticate", equalTo("Bearer realm=\"storeman\""));
    }

    @Test
    void scopedEndpointWhenWrongScopeThen403InsufficientScope() {
        Account user = Fixtures.newUser();
        Tokens tokens = Fixtures.passwordTokens(Fixtures.newApp(user, "public read_items"), user, "read_items");
        given().auth().oauth2(tokens.accessToken()).get("/api/v1/spaces")
                .then().statusCode(403)
                .header("WWW-Authenticate", containsString("error=\"insufficient_scope\""))
                .header("WWW-Authenticate", containsString("scope=\"read_spaces\""))
                .body("error", equalTo("insufficient_scope"));
    }

    @Test
    void undeclaredEndpointWhenNoTokenThenRefused() {
        given().get("/api/v1/test-undeclared")
                .then().statusCode(401)
                .header("WWW-Authenticate", equalTo("Bearer realm=\"storeman\""));
    }

    @Test
    void undeclaredEndpointWhenValidTokenOfEveryScopeThenRefused() {
        String all = "public read_items write_items read_spaces write_spaces";
        Account user = Fixtures.newUser();
        Tokens tokens = Fixtures.passwordTokens(Fixtures.newApp(user, all), user, all);
        given().auth().oauth2(tokens.accessToken()).get("/api/v1/test-undeclared")
                .then().statusCode(403)
                .body("error", equalTo("insufficient_scope"));
    }

    private static void collect(Class<?> resource, Map<String, String> into) {
        String base = resource.getAnnotation(Path.class).value();
        for (Method method : resource.getDeclaredMethods()) {
            String verb = httpMethod(method);
            if (verb == null) {
                continue;
            }
            Path path = method.getAnnotation(Path.class);
            String endpoint = verb + " " + join(base, path == null ? "" : path.value());
            String previous = into.put(endpoint, requirement(method));
            assertEquals(null, previous, "two methods serve " + endpoint);
        }
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod verb = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (verb != null) {
                return verb.value();
            }
        }
        return null;
    }

    private static String join(String base, String path) {
        String joined = ("/" + base + "/" + path).replaceAll("/+", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }

    /** The method's own declaration, else its class's (as Quarkus Security reads them); "none" when neither has one. */
    private static String requirement(Method method) {
        String own = declared(method);
        if (own != null) {
            return own;
        }
        String inherited = declared(method.getDeclaringClass());
        return inherited == null ? "none" : inherited;
    }

    private static String declared(AnnotatedElement element) {
        if (element.isAnnotationPresent(PermitAll.class)) {
            return PERMIT_ALL;
        }
        if (element.isAnnotationPresent(Authenticated.class)) {
            return AUTHENTICATED;
        }
        if (element.isAnnotationPresent(PermissionsAllowed.class)) {
            return "scope:" + String.join(" ", element.getAnnotation(PermissionsAllowed.class).value());
        }
        if (element.isAnnotationPresent(RolesAllowed.class)) {
            return "roles:" + String.join(" ", element.getAnnotation(RolesAllowed.class).value());
        }
        if (element.isAnnotationPresent(DenyAll.class)) {
            return "deny-all";
        }
        return null;
    }
}
