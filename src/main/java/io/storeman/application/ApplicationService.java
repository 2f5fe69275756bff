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
import java.util.List;
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

    /** What a change may set; a null field stays as it is. A blank {@code redirectUri} removes it. */
    public record Changes(String name, String scopes, String redirectUri, Boolean confidential) {
    }

    public Uni<Registered> register(long ownerId, String name, String scopes, String redirectUri,
            boolean confidential) {
        Map<String, String> errors = new TreeMap<>();
        nameProblem(name).ifPresent(problem -> errors.put("name", problem));
        scopesProblem(scopes).ifPresent(problem -> errors.put("scopes", problem));
        redirectUriProblem(redirectUri).ifPresent(problem -> errors.put("redirect_uri", problem));
        if (!errors.isEmpty()) {
            return Uni.createFrom().failure(ProblemException.invalid(errors));
        }
        return quota.take(ownerId, UserQuota.Kind.APPLICATION).chain(decision -> {
            if (!decision.allowed()) {
                throw ProblemException.tooManyRequests("You have created too many applications recently.",
                        decision.retryAfterSeconds());
            }
            return insert(ownerId, name, scopes, redirectUri, confidential);
        });
    }

    @WithTransaction
    Uni<Registered> insert(long ownerId, String name, String scopes, String redirectUri, boolean confidential) {
        OAuthApplication application = new OAuthApplication();
        application.ownerId = ownerId;
        application.name = TextInput.normalize(name);
        application.scopes = parseScopes(scopes);
        application.redirectUri = validRedirectUri(redirectUri);
        application.confidential = confidential;
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
     * Changes name, scopes or redirect URI. Whether an application is confidential is fixed at creation: a public
     * client cannot keep a secret, and a confidential one's users rely on it.
     */
    @WithTransaction
    public Uni<OAuthApplication> update(long ownerId, long id, Changes changes) {
        return find(ownerId, id)
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
        if (redirectUri.length() > MAX_REDIRECT_URI_LENGTH || !TextInput.isPlain(redirectUri)) {
            throw ProblemException.invalid("redirect_uri", "must be an absolute https URI of at most "
                    + MAX_REDIRECT_URI_LENGTH + " characters");
        }
        try {
            URI uri = new URI(TextInput.strip(redirectUri));
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase();
            boolean local = host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
            boolean allowed = scheme.equals("https") || (scheme.equals("http") && local);
            if (!uri.isAbsolute() || host.isEmpty() || uri.getFragment() != null || !allowed) {
                throw ProblemException.invalid("redirect_uri",
                        "must be an absolute https URI without fragment (http only for localhost)");
            }
            return uri.toString();
        } catch (URISyntaxException e) {
            throw ProblemException.invalid("redirect_uri", "must be an absolute URI");
        }
    }
}
