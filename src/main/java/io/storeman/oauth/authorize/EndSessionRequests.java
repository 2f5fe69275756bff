package io.storeman.oauth.authorize;

import io.smallrye.mutiny.Uni;
import io.storeman.application.ClientCache;
import io.storeman.application.OAuthApplication;
import io.storeman.oauth.token.IdTokenHints;
import io.storeman.oauth.token.IdTokenHints.IdTokenHint;
import io.storeman.oauth.token.Subjects;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rules of RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2-§3, docs/security.md O9): which client
 * asks, whether its {@code post_logout_redirect_uri} may be followed, and whether the request may end the session
 * without asking the user. A redirect URI is followed only when the client is known (from the hint's {@code aud} or
 * {@code client_id}, which must agree when both are sent) and the URI equals one it registered, character for
 * character; anything else is an {@link InvalidEndSessionRequest}, shown as a page and never a redirect.
 * {@code logout_hint} and {@code ui_locales} are read (bounded, once) and otherwise ignored.
 */
@ApplicationScoped
public class EndSessionRequests {

    public static final String ID_TOKEN_HINT = "id_token_hint";
    public static final String CLIENT_ID = "client_id";
    public static final String POST_LOGOUT_REDIRECT_URI = "post_logout_redirect_uri";
    public static final String STATE = "state";
    /** The longest value of each parameter: L7's bounds, a post-logout redirect URI as long as a redirect URI. */
    private static final Map<String, Integer> LIMITS = Map.of(ID_TOKEN_HINT, 4096, CLIENT_ID, 128,
            POST_LOGOUT_REDIRECT_URI, 2000, STATE, 4096, "logout_hint", 4096, "ui_locales", 4096);

    /**
     * A logout request that may proceed: the client when one is named and known, the redirect to follow after (the
     * registered URI with {@code state}), and the verified hint.
     */
    public record EndSessionRequest(OAuthApplication client, String postLogoutRedirectUri, String state,
            Optional<IdTokenHint> hint) {

        /** Where to send the browser once the session has ended: the registered URI with {@code state}. */
        public Optional<URI> redirect() {
            if (postLogoutRedirectUri == null) {
                return Optional.empty();
            }
            if (state == null) {
                return Optional.of(URI.create(postLogoutRedirectUri));
            }
            char separator = postLogoutRedirectUri.indexOf('?') < 0 ? '?' : '&';
            return Optional.of(URI.create(postLogoutRedirectUri + separator + STATE + "="
                    + URLEncoder.encode(state, StandardCharsets.UTF_8).replace("+", "%20")));
        }

        /** The parameters that carry this request through the confirmation form (the hint is not needed again). */
        public Map<String, String> confirmationFields() {
            Map<String, String> fields = new java.util.LinkedHashMap<>();
            if (client != null) {
                fields.put(CLIENT_ID, client.clientId);
            }
            if (postLogoutRedirectUri != null) {
                fields.put(POST_LOGOUT_REDIRECT_URI, postLogoutRedirectUri);
            }
            if (state != null) {
                fields.put(STATE, state);
            }
            return fields;
        }
    }

    /** A logout request that must not proceed; its description is written for the error page. */
    public static final class InvalidEndSessionRequest extends RuntimeException {

        private final String description;

        public InvalidEndSessionRequest(String description) {
            super(description, null, false, false);
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    private final ClientCache clients;
    private final IdTokenHints hints;
    private final Subjects subjects;

    EndSessionRequests(ClientCache clients, IdTokenHints hints, Subjects subjects) {
        this.clients = clients;
        this.hints = hints;
        this.subjects = subjects;
    }

    /** Checks the request's parameters (query or form); fails with {@link InvalidEndSessionRequest}. */
    public Uni<EndSessionRequest> validate(Map<String, List<String>> parameters) {
        try {
            String hintToken = single(parameters, ID_TOKEN_HINT);
            String clientId = single(parameters, CLIENT_ID);
            String redirectUri = single(parameters, POST_LOGOUT_REDIRECT_URI);
            String state = single(parameters, STATE);
            single(parameters, "logout_hint");
            single(parameters, "ui_locales");
            Optional<IdTokenHint> hint = Optional.empty();
            if (hintToken != null) {
                hint = hints.verify(hintToken);
                if (hint.isEmpty()) {
                    throw new InvalidEndSessionRequest("The id_token_hint is not an ID token this server issued.");
                }
                if (clientId != null && !hint.get().issuedTo(clientId)) {
                    throw new InvalidEndSessionRequest("The client_id is not the client the id_token_hint was "
                            + "issued to.");
                }
            }
            boolean named = clientId != null;
            String asking = named ? clientId : hint.filter(h -> h.audience().size() == 1)
                    .map(h -> h.audience().get(0)).orElse(null);
            if (asking == null) {
                if (redirectUri != null) {
                    throw new InvalidEndSessionRequest("A post_logout_redirect_uri needs client_id or id_token_hint "
                            + "to name the application it belongs to.");
                }
                return Uni.createFrom().item(new EndSessionRequest(null, null, null, hint));
            }
            Optional<IdTokenHint> verified = hint;
            return clients.find(asking).map(found -> request(found == null ? null : found.application(), named,
                    redirectUri, state, verified));
        } catch (InvalidEndSessionRequest e) {
            return Uni.createFrom().failure(e);
        }
    }

    private static EndSessionRequest request(OAuthApplication client, boolean named, String redirectUri, String state,
            Optional<IdTokenHint> hint) {
        if (client == null && (named || redirectUri != null)) {
            throw new InvalidEndSessionRequest("The application that sent you here is not registered with "
                    + "Storeman.");
        }
        if (redirectUri != null && !Arrays.asList(client.postLogoutRedirectUris).contains(redirectUri)) {
            throw new InvalidEndSessionRequest("The post_logout_redirect_uri is not one the application "
                    + "registered, so Storeman will not send you there.");
        }
        EndSessionRequest request = new EndSessionRequest(client, redirectUri, redirectUri == null ? null : state,
                hint);
        try {
            request.redirect();
        } catch (IllegalArgumentException e) {
            // Registration accepts only absolute URIs; a row written otherwise must not become a 500.
            throw new InvalidEndSessionRequest("The application registered a post_logout_redirect_uri that is not "
                    + "a valid URI.");
        }
        return request;
    }

    /**
     * Whether the request may end the session of {@code userId} without asking: its verified hint names that user as
     * the hint's client sees them ({@code sub}, public or pairwise, O11). Anything less is asked, so that a link or
     * an image on another site cannot sign anyone out (X4).
     */
    public boolean endsAtOnce(EndSessionRequest request, long userId) {
        return request.client() != null && request.hint().isPresent()
                && subjects.subject(request.client(), userId).equals(request.hint().get().subject());
    }

    /** The one value of a parameter: null when absent or empty (N2); sent twice or too long is refused. */
    private static String single(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new InvalidEndSessionRequest("The parameter " + name + " was sent more than once.");
        }
        String value = values.get(0);
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > LIMITS.get(name)) {
            throw new InvalidEndSessionRequest("The parameter " + name + " is too long.");
        }
        return value;
    }
}
