package io.storeman.application;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.storeman.common.ProblemException;
import io.storeman.oauth.Scopes;
import io.storeman.oauth.revoke.Revocations;
import io.storeman.oauth.token.RefreshToken;
import io.storeman.oauth.token.RefreshTokenRepository;
import io.storeman.security.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The applications holding live tokens for a user ("Authorized applications"), and their revocation. A user's
 * tokens always come with a refresh token (the access token issued beside it is named in its row), so the live
 * refresh tokens tell which applications can still act for the user.
 */
@ApplicationScoped
public class AuthorizedApplications {

    /** One authorized application: what it may do, and when it last got a token for this user. */
    public record Authorization(OAuthApplication application, Scopes scopes, Instant lastUsedAt) {
    }

    private static final String LIVE = "userId = ?1 and revokedAt is null and usedAt is null and expiresAt > ?2";

    private final ApplicationRepository applications;
    private final RefreshTokenRepository refreshTokens;
    private final Revocations revocations;
    private final AuditLog audit;

    AuthorizedApplications(ApplicationRepository applications, RefreshTokenRepository refreshTokens,
            Revocations revocations, AuditLog audit) {
        this.applications = applications;
        this.refreshTokens = refreshTokens;
        this.revocations = revocations;
        this.audit = audit;
    }

    public Uni<List<Authorization>> list(long userId) {
        return refreshTokens.list(LIVE + " order by applicationId, createdAt", userId, Instant.now())
                .chain(tokens -> applications.findByIds(tokens.stream().map(t -> t.applicationId).toList())
                        .map(found -> combine(tokens, found)));
    }

    /**
     * Revokes every token {@code clientId} holds for the user, access tokens included, at once. A client that holds
     * none (or does not exist) is not found.
     */
    @WithTransaction
    public Uni<Void> revoke(long userId, String clientId) {
        return applications.findByClientId(clientId)
                .onItem().ifNull().failWith(ProblemException::notFound)
                .call(application -> refreshTokens.count(LIVE + " and applicationId = ?3", userId, Instant.now(),
                                application.id)
                        .invoke(count -> {
                            if (count == 0) {
                                throw ProblemException.notFound();
                            }
                        }))
                .call(application -> revocations.revokeUserApplication(userId, application.id))
                .invoke(application -> audit.record(AuditLog.Event.AUTHORIZATION_REVOKED, userId,
                        application.clientId))
                .replaceWithVoid();
    }

    private static List<Authorization> combine(List<RefreshToken> tokens, List<OAuthApplication> found) {
        Map<Long, OAuthApplication> byId = new LinkedHashMap<>();
        found.forEach(application -> byId.put(application.id, application));
        Map<Long, Authorization> authorizations = new LinkedHashMap<>();
        for (RefreshToken token : tokens) {
            OAuthApplication application = byId.get(token.applicationId);
            if (application == null) {
                continue;
            }
            Scopes scopes = Scopes.parseStored(token.scope);
            authorizations.merge(application.id, new Authorization(application, scopes, token.createdAt),
                    (a, b) -> new Authorization(application, Scopes.parseStored(a.scopes() + " " + b.scopes()),
                            a.lastUsedAt().isAfter(b.lastUsedAt()) ? a.lastUsedAt() : b.lastUsedAt()));
        }
        return authorizations.values().stream()
                .sorted((a, b) -> b.lastUsedAt().compareTo(a.lastUsedAt()))
                .toList();
    }
}
