package io.storeman.application;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.storeman.common.ProblemException;
import io.storeman.common.Secrets;
import io.storeman.oauth.OAuthException;
import io.storeman.oauth.Scopes;
import io.storeman.security.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.List;

/** Registers and manages a user's OAuth applications. */
@ApplicationScoped
public class ApplicationService {

    private final ApplicationRepository applications;
    private final AuditLog audit;

    ApplicationService(ApplicationRepository applications, AuditLog audit) {
        this.applications = applications;
        this.audit = audit;
    }

    /** A new application and, for a confidential one, its secret in plain text: the only time it is known. */
    public record Registered(OAuthApplication application, String clientSecret) {
    }

    @WithTransaction
    public Uni<Registered> register(long ownerId, String name, String scopes, String redirectUri,
            boolean confidential) {
        OAuthApplication application = new OAuthApplication();
        application.ownerId = ownerId;
        application.name = name.strip();
        application.scopes = parseScopes(scopes).toString();
        application.redirectUri = validRedirectUri(redirectUri);
        application.confidential = confidential;
        application.clientId = Secrets.newToken();
        String secret = confidential ? Secrets.newToken() : null;
        application.secretHash = secret == null ? null : Secrets.sha256(secret);
        application.createdAt = Instant.now();
        application.updatedAt = application.createdAt;
        return applications.persist(application)
                .invoke(saved -> audit.record(AuditLog.Event.APPLICATION_CREATED, ownerId, saved.clientId))
                .map(saved -> new Registered(saved, secret));
    }

    public Uni<List<OAuthApplication>> list(long ownerId) {
        return applications.listByOwner(ownerId);
    }

    /** Registered scopes: one or more of the five, space-separated. */
    public static Scopes parseScopes(String scopes) {
        try {
            Scopes parsed = Scopes.parse(scopes, Scopes.parseStored(""));
            if (parsed.isEmpty()) {
                throw ProblemException.invalid("scopes", "must name at least one scope");
            }
            return parsed;
        } catch (OAuthException e) {
            throw ProblemException.invalid("scopes",
                    "must be space-separated scopes among public, read_items, write_items, read_spaces, write_spaces");
        }
    }

    /** An absolute https URI without fragment; plain http only for the local machine. Null when none is given. */
    public static String validRedirectUri(String redirectUri) {
        if (redirectUri == null || redirectUri.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(redirectUri.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase();
            boolean local = host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
            boolean allowed = scheme.equals("https") || (scheme.equals("http") && local);
            if (!uri.isAbsolute() || host.isEmpty() || uri.getFragment() != null || !allowed
                    || redirectUri.length() > 2000) {
                throw ProblemException.invalid("redirect_uri",
                        "must be an absolute https URI without fragment (http only for localhost)");
            }
            return uri.toString();
        } catch (URISyntaxException e) {
            throw ProblemException.invalid("redirect_uri", "must be an absolute URI");
        }
    }
}
