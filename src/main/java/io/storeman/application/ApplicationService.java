package io.storeman.application;

import io.quarkus.arc.All;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.storeman.common.ProblemException;
import io.storeman.common.Secrets;
import io.storeman.common.TextInput;
import io.storeman.oauth.OAuthException;
import io.storeman.oauth.Scopes;
import io.storeman.security.AuditLog;
import io.storeman.security.UserQuota;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Registers and manages a user's OAuth applications. Every method takes the owner: another user's application is
 * not found, exactly like one that does not exist.
 */
@ApplicationScoped
public class ApplicationService {

    public static final int MAX_NAME_LENGTH = 100;
    /** Longer input is refused before normalizing, which may make it 18 times longer (P3). */
    private static final int MAX_NAME_INPUT_LENGTH = 4 * MAX_NAME_LENGTH;
    static final int MAX_REDIRECT_URI_LENGTH = 2000;
    /** The post-logout redirect URIs one application may register (O10). */
    public static final int MAX_POST_LOGOUT_REDIRECT_URIS = 5;
    /** The ID-token algorithms a client may register, the default first (O10). */
    public static final List<String> ID_TOKEN_ALGORITHMS = List.of("RS256", "ES256");
    /** The subject types a client may register, the default first (O10). */
    public static final List<String> SUBJECT_TYPES = List.of("public", "pairwise");
    static final String PAIRWISE = "pairwise";
    static final String SCOPES_MESSAGE =
            "must be one or more of public, read_items, write_items, read_spaces, write_spaces";

    private final ApplicationRepository applications;
    private final ApplicationSecrets secrets;
    private final ClientCache clients;
    private final List<ApplicationDeleted> deleted;
    private final AuditLog audit;
    private final UserQuota quota;

    ApplicationService(ApplicationRepository applications, ApplicationSecrets secrets, ClientCache clients,
            @All List<ApplicationDeleted> deleted, AuditLog audit, UserQuota quota) {
        this.quota = quota;
        this.applications = applications;
        this.secrets = secrets;
        this.clients = clients;
        this.deleted = deleted;
        this.audit = audit;
    }

    /** An application and, right after its creation, its first secret in plain text: the only time it is known. */
    public record Registered(OAuthApplication application, String clientSecret, Long secretId) {
    }

    /**
     * What a registration sets. The OpenID Connect fields may be null: no post-logout redirect URI, ID tokens signed
     * with RS256, the public subject. The two client requirements (issue 22): every access token bound to a key by
     * DPoP (RFC 9449 §5.2), every authorization request pushed (RFC 9126 §6); both off unless asked for.
     */
    public record Registration(String name, String scopes, String redirectUri, boolean confidential,
            List<String> postLogoutRedirectUris, String idTokenSignedResponseAlg, String subjectType,
            boolean dpopBoundAccessTokens, boolean requirePushedAuthorizationRequests) {

        /** A registration that requires neither DPoP nor pushed requests. */
        public Registration(String name, String scopes, String redirectUri, boolean confidential,
                List<String> postLogoutRedirectUris, String idTokenSignedResponseAlg, String subjectType) {
            this(name, scopes, redirectUri, confidential, postLogoutRedirectUris, idTokenSignedResponseAlg,
                    subjectType, false, false);
        }
    }

    /**
     * What a change may set; a null field stays as it is. A blank {@code redirectUri} removes it, an empty
     * {@code postLogoutRedirectUris} removes them all.
     */
    public record Changes(String name, String scopes, String redirectUri, Boolean confidential,
            List<String> postLogoutRedirectUris, String idTokenSignedResponseAlg, String subjectType,
            Boolean dpopBoundAccessTokens, Boolean requirePushedAuthorizationRequests) {

        /** A change that leaves both client requirements as they are. */
        public Changes(String name, String scopes, String redirectUri, Boolean confidential,
                List<String> postLogoutRedirectUris, String idTokenSignedResponseAlg, String subjectType) {
            this(name, scopes, redirectUri, confidential, postLogoutRedirectUris, idTokenSignedResponseAlg,
                    subjectType, null, null);
        }
    }

    public Uni<Registered> register(long ownerId, Registration registration) {
        Map<String, String> errors = new TreeMap<>();
        nameProblem(registration.name()).ifPresent(problem -> errors.put("name", problem));
        scopesProblem(registration.scopes()).ifPresent(problem -> errors.put("scopes", problem));
        redirectUriProblem(registration.redirectUri()).ifPresent(problem -> errors.put("redirect_uri", problem));
        openIdProblems(null, registration.redirectUri(), registration.postLogoutRedirectUris(),
                registration.idTokenSignedResponseAlg(), registration.subjectType(), errors);
        if (!errors.isEmpty()) {
            return Uni.createFrom().failure(ProblemException.invalid(errors));
        }
        return quota.take(ownerId, UserQuota.Kind.APPLICATION).chain(decision -> {
            if (!decision.allowed()) {
                throw ProblemException.tooManyRequests("You have created too many applications recently.",
                        decision.retryAfterSeconds());
            }
            return insert(ownerId, registration);
        });
    }

    @WithTransaction
    Uni<Registered> insert(long ownerId, Registration registration) {
        boolean confidential = registration.confidential();
        OAuthApplication application = new OAuthApplication();
        application.ownerId = ownerId;
        application.name = TextInput.normalize(registration.name());
        application.scopes = parseScopes(registration.scopes());
        application.redirectUri = validRedirectUri(registration.redirectUri());
        application.confidential = confidential;
        application.postLogoutRedirectUris = registration.postLogoutRedirectUris() == null
                ? new String[0]
                : validPostLogoutRedirectUris(registration.postLogoutRedirectUris());
        application.idTokenSignedResponseAlg = registration.idTokenSignedResponseAlg() == null
                ? ID_TOKEN_ALGORITHMS.get(0)
                : registration.idTokenSignedResponseAlg();
        application.subjectType = registration.subjectType() == null
                ? SUBJECT_TYPES.get(0)
                : registration.subjectType();
        application.dpopBoundAccessTokens = registration.dpopBoundAccessTokens();
        application.requirePushedAuthorizationRequests = registration.requirePushedAuthorizationRequests();
        application.clientId = Secrets.newToken();
        application.createdAt = Instant.now();
        application.updatedAt = application.createdAt;
        return applications.persist(application)
                .chain(saved -> confidential
                        ? secrets.first(saved).map(first -> new Registered(saved, first.value(), first.secret().id))
                        : Uni.createFrom().item(new Registered(saved, null, null)))
                .invoke(registered -> audit.record(AuditLog.Event.APPLICATION_CREATED, ownerId,
                        registered.application().clientId));
    }

    public Uni<List<OAuthApplication>> list(long ownerId) {
        return applications.listByOwner(ownerId);
    }

    /** The owner's application, or a 404. */
    public Uni<OAuthApplication> find(long ownerId, long id) {
        return applications.findOwned(id, ownerId)
                .onItem().ifNull().failWith(ProblemException::notFound);
    }

    /**
     * Changes name, scopes, redirect URI or the OpenID Connect fields. Whether an application is confidential is
     * fixed at creation: a public client cannot keep a secret, and a confidential one's users rely on it. The row is
     * locked first, so that two changes at once are each checked against the other's result (a pairwise application
     * keeps its redirect URI, O10). Its update makes every other instance forget the application ({@link
     * ClientCache}); this one forgets it here.
     */
    @WithTransaction
    public Uni<OAuthApplication> update(long ownerId, long id, Changes changes) {
        return applications.findOwnedForUpdate(id, ownerId)
                .onItem().ifNull().failWith(ProblemException::notFound)
                .map(application -> {
                    Map<String, String> errors = new TreeMap<>();
                    if (changes.name() != null) {
                        nameProblem(changes.name()).ifPresent(problem -> errors.put("name", problem));
                    }
                    if (changes.scopes() != null) {
                        scopesProblem(changes.scopes()).ifPresent(problem -> errors.put("scopes", problem));
                    }
                    if (changes.redirectUri() != null) {
                        redirectUriProblem(changes.redirectUri())
                                .ifPresent(problem -> errors.put("redirect_uri", problem));
                    }
                    if (changes.confidential() != null && changes.confidential() != application.confidential) {
                        errors.put("confidential", "cannot be changed; register a new application instead");
                    }
                    String redirectUri = changes.redirectUri() == null ? application.redirectUri
                            : changes.redirectUri();
                    openIdProblems(application, redirectUri, changes.postLogoutRedirectUris(),
                            changes.idTokenSignedResponseAlg(), changes.subjectType(), errors);
                    if (!errors.isEmpty()) {
                        throw ProblemException.invalid(errors);
                    }
                    if (changes.name() != null) {
                        application.name = TextInput.normalize(changes.name());
                    }
                    if (changes.scopes() != null) {
                        application.scopes = parseScopes(changes.scopes());
                    }
                    if (changes.redirectUri() != null) {
                        application.redirectUri = validRedirectUri(changes.redirectUri());
                    }
                    if (changes.postLogoutRedirectUris() != null) {
                        application.postLogoutRedirectUris =
                                validPostLogoutRedirectUris(changes.postLogoutRedirectUris());
                    }
                    if (changes.idTokenSignedResponseAlg() != null) {
                        application.idTokenSignedResponseAlg = changes.idTokenSignedResponseAlg();
                    }
                    if (changes.subjectType() != null) {
                        application.subjectType = changes.subjectType();
                    }
                    if (changes.dpopBoundAccessTokens() != null) {
                        application.dpopBoundAccessTokens = changes.dpopBoundAccessTokens();
                    }
                    if (changes.requirePushedAuthorizationRequests() != null) {
                        application.requirePushedAuthorizationRequests = changes.requirePushedAuthorizationRequests();
                    }
                    application.updatedAt = Instant.now();
                    clients.forget(application.clientId);
                    return application;
                });
    }

    /**
     * Deletes an application after revoking every token it holds: its refresh tokens go with it (foreign key), and
     * its client id goes on the revocation list for as long as an access token issued to it could live.
     */
    @WithTransaction
    public Uni<Void> delete(long ownerId, long id) {
        return find(ownerId, id)
                .call(application -> Multi.createFrom().iterable(deleted)
                        .onItem().transformToUniAndConcatenate(then -> then.applicationDeleted(application))
                        .collect().last())
                .call(applications::delete)
                .invoke(application -> clients.forget(application.clientId))
                .invoke(application -> audit.record(AuditLog.Event.APPLICATION_DELETED, ownerId,
                        application.clientId))
                .replaceWithVoid();
    }

    /**
     * Why a name cannot be an application's; empty when it can. The name is checked as it is stored, {@linkplain
     * TextInput#normalize normalized}, and must show every character (P4): other users read it on the consent page,
     * where a bidirectional control could make it look like another name.
     */
    public static Optional<String> nameProblem(String name) {
        if (TextInput.isBlank(name)) {
            return Optional.of("must not be blank");
        }
        String tooLong = "must be at most " + MAX_NAME_LENGTH + " characters long";
        if (name.length() > MAX_NAME_INPUT_LENGTH) {
            return Optional.of(tooLong);
        }
        String normalized = TextInput.normalize(name);
        if (normalized.codePointCount(0, normalized.length()) > MAX_NAME_LENGTH) {
            return Optional.of(tooLong);
        }
        if (!TextInput.isVisible(normalized)) {
            return Optional.of("must not contain control, invisible or invalid characters");
        }
        return Optional.empty();
    }

    public static Optional<String> scopesProblem(String scopes) {
        try {
            parseScopes(scopes);
            return Optional.empty();
        } catch (ProblemException e) {
            return Optional.of(e.problem().errors().get("scopes"));
        }
    }

    public static Optional<String> redirectUriProblem(String redirectUri) {
        try {
            validRedirectUri(redirectUri);
            return Optional.empty();
        } catch (ProblemException e) {
            return Optional.of(e.problem().errors().get("redirect_uri"));
        }
    }

    /** Registered scopes: one or more of the five, space-separated. */
    public static Scopes parseScopes(String scopes) {
        try {
            Scopes parsed = Scopes.parse(scopes, Scopes.NONE);
            if (parsed.isEmpty()) {
                throw ProblemException.invalid("scopes", SCOPES_MESSAGE);
            }
            return parsed;
        } catch (OAuthException e) {
            throw ProblemException.invalid("scopes", SCOPES_MESSAGE);
        }
    }

    /** An absolute https URI without fragment; plain http only for the local machine. Null when none is given. */
    public static String validRedirectUri(String redirectUri) {
        if (TextInput.isBlank(redirectUri)) {
            return null;
        }
        Optional<String> problem = uriProblem(redirectUri);
        if (problem.isPresent()) {
            throw ProblemException.invalid("redirect_uri", "must be " + problem.get());
        }
        return TextInput.strip(redirectUri);
    }

    /**
     * The post-logout redirect URIs as stored (O10): each held to the rules of the redirect URI, at most
     * {@value #MAX_POST_LOGOUT_REDIRECT_URIS}, none twice. They are matched exactly at logout, so they are stored as
     * given, only stripped of surrounding whitespace.
     */
    public static String[] validPostLogoutRedirectUris(List<String> uris) {
        postLogoutRedirectUrisProblem(uris).ifPresent(problem -> {
            throw ProblemException.invalid("post_logout_redirect_uris", problem);
        });
        return uris.stream().map(TextInput::strip).toArray(String[]::new);
    }

    /** Why these cannot be an application's post-logout redirect URIs; empty when they can. */
    public static Optional<String> postLogoutRedirectUrisProblem(List<String> uris) {
        if (uris.size() > MAX_POST_LOGOUT_REDIRECT_URIS) {
            return Optional.of("must be at most " + MAX_POST_LOGOUT_REDIRECT_URIS + " URIs");
        }
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < uris.size(); i++) {
            String uri = uris.get(i);
            if (uri == null || TextInput.isBlank(uri)) {
                return Optional.of("must each be an absolute URI (number " + (i + 1) + " is blank)");
            }
            Optional<String> problem = uriProblem(uri);
            if (problem.isPresent()) {
                return Optional.of("must each be " + problem.get() + " (number " + (i + 1) + " is not)");
            }
            String stored = TextInput.strip(uri);
            if (seen.contains(stored)) {
                return Optional.of("must not list a URI twice (number " + (i + 1) + " is listed before)");
            }
            seen.add(stored);
        }
        return Optional.empty();
    }

    /**
     * The OpenID Connect registration rules (O10) for an application as it will be: {@code current} is null for a
     * new one; the other arguments are the values asked for, null for "as it is" (a new application: the default),
     * except {@code redirectUri}, the redirect URI it will have (blank: none). The problems go into {@code errors} by
     * field; a field already at fault there is not judged again.
     */
    static void openIdProblems(OAuthApplication current, String redirectUri, List<String> postLogoutRedirectUris,
            String idTokenAlgorithm, String subjectType, Map<String, String> errors) {
        if (postLogoutRedirectUris != null) {
            postLogoutRedirectUrisProblem(postLogoutRedirectUris)
                    .ifPresent(problem -> errors.put("post_logout_redirect_uris", problem));
        }
        if (idTokenAlgorithm != null && !ID_TOKEN_ALGORITHMS.contains(idTokenAlgorithm)) {
            errors.put("id_token_signed_response_alg", "must be RS256 or ES256");
        }
        if (subjectType != null && !SUBJECT_TYPES.contains(subjectType)) {
            errors.put("subject_type", "must be public or pairwise");
            return;
        }
        if (errors.containsKey("redirect_uri")) {
            return;
        }
        boolean wasPairwise = current != null && PAIRWISE.equals(current.subjectType);
        boolean pairwise = subjectType == null ? wasPairwise : PAIRWISE.equals(subjectType);
        if (!pairwise) {
            return;
        }
        String host = host(redirectUri);
        if (host == null && !wasPairwise) {
            errors.put("subject_type", "can be pairwise only with a redirect URI, whose host is the sector of the"
                    + " pairwise subjects");
        } else if (host == null) {
            errors.put("redirect_uri", "cannot be removed while the subject type is pairwise: its host is the"
                    + " sector of the pairwise subjects");
        } else if (wasPairwise && host(current.redirectUri) != null && !host.equals(host(current.redirectUri))) {
            errors.put("redirect_uri", "must keep the host " + host(current.redirectUri) + " while the subject"
                    + " type is pairwise: another host would give every user another subject");
        }
    }

    /** The host of a valid redirect URI, lower-cased: the sector of pairwise subjects. Null when there is none. */
    static String host(String redirectUri) {
        if (TextInput.isBlank(redirectUri)) {
            return null;
        }
        try {
            String host = new URI(TextInput.strip(redirectUri)).getHost();
            return host == null ? null : host.toLowerCase(Locale.ROOT);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /**
     * Why a URI cannot be one the browser is sent to (a redirect URI, a post-logout redirect URI), as what it must
     * be instead: an absolute https URI without fragment, plain http only for the local machine, of at most
     * {@value #MAX_REDIRECT_URI_LENGTH} characters. Empty when it can.
     */
    static Optional<String> uriProblem(String value) {
        if (value.length() > MAX_REDIRECT_URI_LENGTH || !TextInput.isPlain(value)) {
            return Optional.of("an absolute https URI of at most " + MAX_REDIRECT_URI_LENGTH + " characters");
        }
        try {
            URI uri = new URI(TextInput.strip(value));
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
            boolean local = host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
            boolean allowed = scheme.equals("https") || (scheme.equals("http") && local);
            if (!uri.isAbsolute() || host.isEmpty() || uri.getFragment() != null || !allowed) {
                return Optional.of("an absolute https URI without fragment (http only for localhost)");
            }
            return Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.of("an absolute URI");
        }
    }
}
