package io.storeman.oauth.authorize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.storeman.oauth.OAuthError;
import io.storeman.oauth.Scopes;
import io.storeman.support.CodeFlow;
import io.storeman.support.CodeFlow.Client;
import io.storeman.support.CodeFlow.Verifier;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The server side of {@code /oauth/authorize}, as the consent page will call it: validation in RFC 6749 §4.1.2.1
 * order (errors about the client or redirect URI are shown, never redirected; the rest redirect with state), and the
 * answers to "Authorize" and "Deny".
 */
@QuarkusTest
class AuthorizationRequestsTest {

    private static final String STATE = "xyz 123/+=&?";

    @Inject
    CodeFlow flow;

    @Inject
    AuthorizationRequests requests;

    @Inject
    Consents consents;

    @Test
    void validateWhenRequestIsGoodThenItDescribesClientScopesAndState() {
        Account owner = Fixtures.newUser();
        Client client = CodeFlow.newClient(owner, Fixtures.ALL_SCOPES, true);
        Verifier pkce = Verifier.create();

        AuthorizationRequest request = flow.validate(
                CodeFlow.query(client, client.redirectUri(), "read_items public", STATE, pkce));

        assertEquals(client.clientId(), request.client().clientId);
        assertEquals("Code flow app", request.client().name);
        assertEquals(List.of("public", "read_items"), request.scopes().values());
        assertEquals(2, request.scopeDescriptions().size());
        assertEquals(STATE, request.state());
        assertEquals(pkce.challenge(), request.codeChallenge());
        assertEquals(request.parameters(), flow.validate(toQuery(request.parameters())).parameters(),
                "the consent form's hidden fields give the same request back");
    }

    @Test
    void validateWhenScopeOmittedThenDefaultScopePublic() {
        Account owner = Fixtures.newUser();
        Client client = CodeFlow.newClient(owner, "public read_items", true);

        AuthorizationRequest request = flow.validate(CodeFlow.query(client, null, null, null, Verifier.create()));

        assertEquals(Scopes.DEFAULT, request.scopes());
        assertEquals(client.redirectUri(), request.redirectUri());
    }

    @Test
    void approveThenRedirectCarriesCodeStateAndIssuer() {
        Account user = Fixtures.newUser();
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public", true);

        URI redirect = flow.approve(user, CodeFlow.query(client, client.redirectUri(), null, STATE,
                Verifier.create()));

        assertTrue(redirect.toString().startsWith(client.redirectUri() + "?"));
        Map<String, String> answer = CodeFlow.parameters(redirect);
        assertNotNull(answer.get("code"));
        assertEquals(43, answer.get("code").length());
        assertEquals(STATE, answer.get("state"));
        assertEquals("http://storeman.test", answer.get("iss"));
    }

    @Test
    void approveThenConsentIsRememberedAndGrowsWithLaterApprovals() {
        Account user = Fixtures.newUser();
        Client client = CodeFlow.newClient(Fixtures.newUser(), Fixtures.ALL_SCOPES, true);
        AuthorizationRequest readItems = flow.validate(CodeFlow.query(client, null, "read_items", null,
                Verifier.create()));
        assertFalse(CodeFlow.await(() -> requests.alreadyConsented(user.id(), readItems)));

        flow.approve(user, CodeFlow.query(client, null, "read_items", null, Verifier.create()));
        flow.approve(user, CodeFlow.query(client, null, "public read_spaces", null, Verifier.create()));

        assertTrue(CodeFlow.await(() -> requests.alreadyConsented(user.id(), readItems)));
        assertEquals(List.of("public", "read_items", "read_spaces"),
                CodeFlow.await(() -> consents.granted(user.id(), client.app().id())).values());
        AuthorizationRequest writeItems = flow.validate(CodeFlow.query(client, null, "write_items", null,
                Verifier.create()));
        assertFalse(CodeFlow.await(() -> requests.alreadyConsented(user.id(), writeItems)));

        CodeFlow.await(() -> consents.withdraw(user.id(), client.app().id()));
        assertFalse(CodeFlow.await(() -> requests.alreadyConsented(user.id(), readItems)));
    }

    @Test
    void denyThenRedirectCarriesAccessDeniedAndState() {
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public", true);
        AuthorizationRequest request = flow.validate(CodeFlow.query(client, null, null, STATE, Verifier.create()));

        Map<String, String> answer = CodeFlow.parameters(CodeFlow.await(() -> requests.deny(request)));

        assertEquals("access_denied", answer.get("error"));
        assertEquals(STATE, answer.get("state"));
        assertEquals("http://storeman.test", answer.get("iss"));
        assertFalse(answer.containsKey("code"));
    }

    @Test
    void validateWhenClientUnknownThenErrorShownNotRedirected() {
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public", true);
        Map<String, List<String>> query = CodeFlow.query(client, client.redirectUri(), null, STATE,
                Verifier.create());
        query.put("client_id", List.of("no-such-client"));

        InvalidAuthorizationRequest failure = invalid(query);

        assertTrue(failure.redirect().isEmpty());
        assertEquals(OAuthError.INVALID_CLIENT, failure.error());
    }

    @Test
    void validateWhenClientIdMissingThenErrorShownNotRedirected() {
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public", true);
        Map<String, List<String>> query = CodeFlow.query(client, client.redirectUri(), null, STATE,
                Verifier.create());
        query.remove("client_id");

        assertTrue(invalid(query).redirect().isEmpty());
    }

    @Test
    void validateWhenRedirectUriNotRegisteredExactlyThenErrorShownNotRedirected() {
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public", true);
        for (String other : List.of(client.redirectUri() + "x", client.redirectUri() + "/", "https://evil.example/cb",
                client.redirectUri() + "?next=1", client.redirectUri().replace("https", "http"))) {
            InvalidAuthorizationRequest failure = invalid(CodeFlow.query(client, other, null, STATE,
                    Verifier.create()));
            assertTrue(failure.redirect().isEmpty(), other);
            assertEquals("The redirect URI is not registered for this application.", failure.description());
        }
    }

    @Test
    void validateWhenApplicationHasNoRedirectUriThenErrorShownNotRedirected() {
        Account owner = Fixtures.newUser();
        Fixtures.App app = Fixtures.newApp(owner, "public");
        Client client = new Client(app, null);

        InvalidAuthorizationRequest failure = invalid(CodeFlow.query(client, "https://client.example/cb", null,
                STATE, Verifier.create()));

        assertTrue(failure.redirect().isEmpty());
    }

    @Test
    void validateWhenCodeChallengeMissingThenInvalidRequestRedirectedWithState() {
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public", false);
        Map<String, List<String>> query = CodeFlow.query(client, null, null, STATE, Verifier.create());
        query.remove("code_challenge");

        assertRedirectedError(invalid(query), client, "invalid_request");
    }

    @Test
    void validateWhenChallengeMethodPlainOrMissingThenInvalidRequestRedirected() {
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public", true);
        Map<String, List<String>> plain = CodeFlow.query(client, null, null, STATE, Verifier.create());
        plain.put("code_challenge_method", List.of("plain"));
        Map<String, List<String>> missing = CodeFlow.query(client, null, null, STATE, Verifier.create());
        missing.remove("code_challenge_method");

        assertRedirectedError(invalid(plain), client, "invalid_request");
        assertRedirectedError(invalid(missing), client, "invalid_request");
    }

    @Test
    void validateWhenChallengeMalformedThenInvalidRequestRedirected() {
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public", true);
        Map<String, List<String>> query = CodeFlow.query(client, null, null, STATE, Verifier.create());
        query.put("code_challenge", List.of("too-short"));

        assertRedirectedError(invalid(query), client, "invalid_request");
    }

    @Test
    void validateWhenResponseTypeIsTokenThenUnsupportedResponseTypeRedirected() {
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public", true);
        Map<String, List<String>> query = CodeFlow.query(client, null, null, STATE, Verifier.create());
        query.put("response_type", List.of("token"));

        assertRedirectedError(invalid(query), client, "unsupported_response_type");
    }

    @Test
    void validateWhenScopeBeyondRegisteredOrUnknownThenInvalidScopeRedirected() {
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public read_items", true);

        assertRedirectedError(invalid(CodeFlow.query(client, null, "write_items", STATE, Verifier.create())),
                client, "invalid_scope");
        assertRedirectedError(invalid(CodeFlow.query(client, null, "admin", STATE, Verifier.create())),
                client, "invalid_scope");
    }

    @Test
    void validateWhenParameterRepeatedThenInvalidRequest() {
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public", true);
        Map<String, List<String>> repeatedScope = CodeFlow.query(client, null, null, STATE, Verifier.create());
        repeatedScope.put("scope", List.of("public", "public"));
        Map<String, List<String>> repeatedRedirect = CodeFlow.query(client, null, null, STATE, Verifier.create());
        repeatedRedirect.put("redirect_uri", List.of(client.redirectUri(), client.redirectUri()));

        assertRedirectedError(invalid(repeatedScope), client, "invalid_request");
        assertTrue(invalid(repeatedRedirect).redirect().isEmpty());
    }

    private InvalidAuthorizationRequest invalid(Map<String, List<String>> query) {
        return assertThrows(InvalidAuthorizationRequest.class, () -> flow.validate(query));
    }

    private static void assertRedirectedError(InvalidAuthorizationRequest failure, Client client, String error) {
        URI redirect = failure.redirect().orElseThrow(() -> new AssertionError("expected a redirect"));
        assertTrue(redirect.toString().startsWith(client.redirectUri() + "?"), redirect.toString());
        Map<String, String> answer = CodeFlow.parameters(redirect);
        assertEquals(error, answer.get("error"));
        assertNotNull(answer.get("error_description"));
        assertEquals(STATE, answer.get("state"));
        assertFalse(answer.containsKey("code"));
    }

    private static Map<String, List<String>> toQuery(Map<String, String> parameters) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        parameters.forEach((name, value) -> query.put(name, List.of(value)));
        return query;
    }
}
