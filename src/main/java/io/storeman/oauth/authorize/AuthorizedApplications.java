package io.storeman.oauth.authorize;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.storeman.application.ApplicationRepository;
import io.storeman.application.OAuthApplication;
import io.storeman.common.ProblemException;
import io.storeman.oauth.Scopes;
import io.storeman.oauth.revoke.Revocations;
import io.storeman.oauth.token.RefreshToken;
import io.storeman.oauth.token.RefreshTokenRepository;
import io.storeman.security.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The applications that can act for a user ("Authorized applications"): those holding live tokens for the user, and
 * those the user consented to on the authorization page (they would get tokens without asking again). A user's
 * tokens always come with a refresh token naming the access token issued beside it, so the live refresh tokens tell
 * which applications hold access. Revoking ends both: the tokens at once, and the consent.
 */
@ApplicationScoped
public class AuthorizedApplications {

    /** One authorized application: what it may do, and when it last got a token or consent for this user. */
    public record Authorization(OAuthApplication application, Scopes scopes, Instant lastUsedAt) {
    }

    private static final String LIVE = "userId = ?1 and revokedAt is null and usedAt is null and expiresAt > ?2";

    private final ApplicationRepository applications;
    private final RefreshTokenRepository refreshTokens;
    private final ConsentRepository consentRows;
    private final Consents consents;
    private final Revocations revocations;
    private final AuditLog audit;

    AuthorizedApplications(ApplicationRepository applications, RefreshTokenRepository refreshTokens,
            ConsentRepository consentRows, Consents consents, Revocations revocations, AuditLog audit) {
        this.applications = applications;
        this.refreshTokens = refreshTokens;
        this.consentRows = consentRows;
        this.consents = consents;
        this.revocations = revocations;
        this.audit = audit;
    }

    public Uni<List<Authorization>> list(long userId) {
        return refreshTokens.list(LIVE + " order by applicationId, createdAt", userId, Instant.now())
                .chain(tokens -> consentRows.listByUser(userId)
                        .chain(given -> applications.findByIds(applicationIds(tokens, given))
                                .map(found -> combine(tokens, given, found))));
    }

    /**
     * Revokes every token {@code clientId} holds for the user, access tokens included, at once, and withdraws the
     * user's consent. A client that holds neither (or does not exist) is not found.
     */
    @WithTransaction
    public Uni<Void> revoke(long userId, String clientId) {
        return applications.findByClientId(clientId)
                .onItem().ifNull().failWith(ProblemException::notFound)
                .call(application -> refreshTokens.count(LIVE + " and applicationId = ?3", userId, Instant.now(),
                                application.id)
                        .chain(tokens -> consentRows.find(userId, application.id)
                                .invoke(consent -> {
                                    if (tokens == 0 && consent == null) {
                                        throw ProblemException.notFound();
                                    }
                                })))
                .call(application -> revocations.revokeUserApplication(userId, application.id, application.clientId))
                .call(application -> consents.withdraw(userId, application.id))
                .invoke(application -> audit.record(AuditLog.Event.AUTHORIZATION_REVOKED, userId,
                        application.clientId))
                .replaceWithVoid();
    }

    private static List<Long> applicationIds(List<RefreshToken> tokens, List<Consent> given) {
        Set<Long> ids = new LinkedHashSet<>();
        tokens.forEach(token -> ids.add(token.applicationId));
        given.forEach(consent -> ids.add(consent.applicationId));
        return List.copyOf(ids);
    }

    private static List<Authorization> combine(List<RefreshToken> tokens, List<Consent> given,
            List<OAuthApplication> found) {
        Map<Long, OAuthApplication> byId = new LinkedHashMap<>();
        found.forEach(application -> byId.put(application.id, application));
        Map<Long, Authorization> authorizations = new LinkedHashMap<>();
        tokens.forEach(token -> add(authorizations, byId.get(token.applicationId), token.scope, token.createdAt));
        given.forEach(consent -> add(authorizations, byId.get(consent.applicationId), consent.scope,
                consent.updatedAt));
        return authorizations.values().stream()
                .sorted((a, b) -> b.lastUsedAt().compareTo(a.lastUsedAt()))
                .toList();
    }

    private static void add(Map<Long, Authorization> authorizations, OAuthApplication application, Scopes scope,
            Instant at) {
        if (application == null) {
            return;
        }
        authorizations.merge(application.id, new Authorization(application, scope, at),
                (a, b) -> new Authorization(application, a.scopes().union(b.scopes()),
                        a.lastUsedAt().isAfter(b.lastUsedAt()) ? a.lastUsedAt() : b.lastUsedAt()));
    }
}
