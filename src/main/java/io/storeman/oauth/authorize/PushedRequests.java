package io.storeman.oauth.authorize;

import io.smallrye.mutiny.Uni;
import io.storeman.application.OAuthApplication;
import io.storeman.common.Secrets;
import io.storeman.common.StoremanConfig;
import io.storeman.oauth.OAuthError;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pushed authorization request endpoint's work (RFC 9126 §2): validates the parameters an authenticated client
 * pushes, by the rules of {@code /oauth/authorize}, and stores them under a new one-time reference (docs/security.md
 * Q1-Q5). Only the validated request's own parameters are kept, never what else the body held (a client secret,
 * unknown parameters).
 */
@ApplicationScoped
public class PushedRequests {

    private final AuthorizationRequests requests;
    private final PushedRequestStore store;
    private final Duration ttl;
    private final int perClient;
    private final int perAddress;

    PushedRequests(AuthorizationRequests requests, PushedRequestStore store, StoremanConfig config) {
        this.requests = requests;
        this.store = store;
        this.ttl = config.oauth().pushedRequestTtl();
        this.perClient = config.oauth().pushedRequestsPerClient();
        this.perAddress = config.oauth().pushedRequestsPerAddress();
    }

    /** The answer of §2.2: the reference and its lifetime in seconds. */
    public record Pushed(String requestUri, long expiresIn) {
    }

    /**
     * Validates and stores the request {@code client} pushed from {@code address} (a throttle key). Fails with the
     * {@link io.storeman.oauth.OAuthException} to answer: the authorization request's own error (§2.3), or
     * {@code slow_down} (429) past the bounds of pending requests (Q5).
     */
    public Uni<Pushed> push(OAuthApplication client, Map<String, String> parameters, String address) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        parameters.forEach((name, value) -> query.put(name, List.of(value)));
        AuthorizationRequest request;
        try {
            request = requests.validatePushed(client, query);
        } catch (InvalidAuthorizationRequest e) {
            return Uni.createFrom().failure(e.error().exception(e.description()));
        }
        String requestUri = AuthorizationRequests.REQUEST_URI_PREFIX + Secrets.newToken();
        return store.push(Secrets.sha256(requestUri), client.id, address, request.parameters(), ttl, perClient,
                        perAddress)
                .map(stored -> {
                    if (!stored) {
                        throw OAuthError.SLOW_DOWN.exception("Too many pending pushed authorization requests: use "
                                + "the ones pushed, or wait until they expire.");
                    }
                    return new Pushed(requestUri, ttl.toSeconds());
                });
    }
}
