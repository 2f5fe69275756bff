package io.storeman.support;

import static io.restassured.RestAssured.given;

import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.smallrye.mutiny.Uni;
import io.storeman.common.Secrets;
import io.storeman.oauth.authorize.AuthorizationRequest;
import io.storeman.oauth.authorize.AuthorizationRequests;
import io.storeman.oauth.authorize.Pkce;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The authorization code flow without its browser page: what the consent page will do on "Authorize", done by
 * calling the same services ({@link AuthorizationRequests#validate} then {@link AuthorizationRequests#approve}). A
 * test bean, injected into tests; nothing of it ships.
 */
@ApplicationScoped
public class CodeFlow {

    private final AuthorizationRequests requests;
    private final Pool pool;

    CodeFlow(AuthorizationRequests requests, Pool pool) {
        this.requests = requests;
        this.pool = pool;
    }

    /** A PKCE pair: a fresh verifier and its S256 challenge. */
    public record Verifier(String verifier, String challenge) {
        public static Verifier create() {
            String verifier = Secrets.newToken() + Secrets.newToken();
            return new Verifier(verifier, Pkce.challengeOf(verifier));
        }
    }

    /** An application registered with a redirect URI of its own. */
    public record Client(App app, String redirectUri) {
        public String clientId() {
            return app.clientId();
        }

        public String clientSecret() {
            return app.clientSecret();
        }

        /** A request from this client: HTTP Basic when it is confidential, its client_id when it is public. */
        public RequestSpecification authenticated() {
            return clientSecret() == null
                    ? given().formParam("client_id", clientId())
                    : given().auth().preemptive().basic(clientId(), clientSecret());
        }
    }

    /** The token endpoint's answer to {@code client} redeeming {@code code}; a null parameter is left out. */
    public static ValidatableResponse redeem(Client client, String code, String redirectUri, String verifier) {
        RequestSpecification request = client.authenticated().formParam("grant_type", "authorization_code");
        if (code != null) {
            request.formParam("code", code);
        }
        if (redirectUri != null) {
            request.formParam("redirect_uri", redirectUri);
        }
        if (verifier != null) {
            request.formParam("code_verifier", verifier);
        }
        return request.post("/oauth/token").then();
    }

    /** An application of {@code owner} with a redirect URI unique to it. */
    public static Client newClient(Account owner, String scopes, boolean confidential) {
        String redirectUri = confidential
                ? "https://client.example/callback/" + UUID.randomUUID()
                : "http://localhost:9999/callback/" + UUID.randomUUID();
        JsonPath json = given().auth().preemptive().basic(owner.email(), owner.password())
                .contentType(ContentType.JSON)
                .body(Map.of("name", "Code flow app", "scopes", scopes, "confidential", confidential,
                        "redirect_uri", redirectUri))
                .post("/api/v1/oauth/applications")
                .then().statusCode(201)
                .extract().jsonPath();
        App app = new App(json.getLong("id"), json.getString("client_id"), json.getString("client_secret"),
                json.getString("scopes"));
        return new Client(app, json.getString("redirect_uri"));
    }

    /** The query of an authorization request for {@code app}, S256 PKCE, naming its redirect URI. */
    public static Map<String, List<String>> query(Client client, String redirectUri, String scope, String state,
            Verifier pkce) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        query.put("response_type", List.of("code"));
        query.put("client_id", List.of(client.clientId()));
        if (redirectUri != null) {
            query.put("redirect_uri", List.of(redirectUri));
        }
        if (scope != null) {
            query.put("scope", List.of(scope));
        }
        if (state != null) {
            query.put("state", List.of(state));
        }
        query.put("code_challenge", List.of(pkce.challenge()));
        query.put("code_challenge_method", List.of(Pkce.S256));
        return query;
    }

    /** Validates the request as the page will; fails as the service does. */
    public AuthorizationRequest validate(Map<String, List<String>> query) {
        return await(() -> requests.validate(query));
    }

    /** The user approves: the redirect the browser is sent to. */
    public URI approve(Account user, Map<String, List<String>> query) {
        return await(() -> requests.validate(query)
                .chain(request -> requests.approve(user.id(), java.time.Instant.now(), request)));
    }

    /** A code for {@code user} and {@code client}, its request naming the registered redirect URI. */
    public String code(Account user, Client client, String scope, Verifier pkce) {
        return parameters(approve(user, query(client, client.redirectUri(), scope, null, pkce))).get("code");
    }

    /** A code whose request named no redirect URI (the registered one applied). */
    public String codeWithoutRedirectUri(Account user, Client client, String scope, Verifier pkce) {
        return parameters(approve(user, query(client, null, scope, null, pkce))).get("code");
    }

    /** Ages a code past its validity, as 60 seconds would. */
    public void expire(String code) {
        pool.preparedQuery("update authorization_codes set expires_at = now() - interval '1 second'"
                + " where code_hash = $1").execute(Tuple.of(Secrets.sha256(code))).await().indefinitely();
    }

    /** The decoded query parameters of a redirect. */
    public static Map<String, String> parameters(URI redirect) {
        Map<String, String> parameters = new HashMap<>();
        String query = redirect.getRawQuery();
        if (query == null) {
            return parameters;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            parameters.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return parameters;
    }

    /** Runs a service call on a Vert.x context, as a request would, and waits for it. */
    public static <T> T await(Supplier<Uni<T>> call) {
        try {
            return VertxContextSupport.subscribeAndAwait(call);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
