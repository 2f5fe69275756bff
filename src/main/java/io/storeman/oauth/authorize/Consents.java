package io.storeman.oauth.authorize;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.storeman.oauth.Scopes;
import jakarta.enterprise.context.ApplicationScoped;

/** What each user has consented to per application, so a request within it need not ask again. */
@ApplicationScoped
public class Consents {

    /** One statement adds the scopes to whatever the user granted before: concurrent grants cannot lose any. */
    private static final String GRANT = """
            insert into oauth_consents (user_id, application_id, scope) values (:user, :application, :scope)
            on conflict (user_id, application_id) do update set updated_at = now(), scope = (
                select string_agg(distinct granted, ' ')
                from unnest(string_to_array(oauth_consents.scope || ' ' || excluded.scope, ' ')) as granted
                where granted <> '')
            """;

    private final ConsentRepository consents;

    Consents(ConsentRepository consents) {
        this.consents = consents;
    }

    /** The scopes {@code userId} has granted {@code applicationId}; empty when none. */
    public Uni<Scopes> granted(long userId, long applicationId) {
        return consents.find(userId, applicationId)
                .map(consent -> consent == null ? Scopes.NONE : consent.scope);
    }

    /** Whether the user has already granted the application every one of {@code scopes}. */
    public Uni<Boolean> covers(long userId, long applicationId, Scopes scopes) {
        return granted(userId, applicationId).map(granted -> granted.containsAll(scopes));
    }

    /** Records that the user granted {@code scopes} to the application, in addition to earlier grants. */
    @WithTransaction
    public Uni<Void> grant(long userId, long applicationId, Scopes scopes) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(GRANT)
                        .setParameter("user", userId)
                        .setParameter("application", applicationId)
                        .setParameter("scope", scopes.toString())
                        .executeUpdate())
                .replaceWithVoid();
    }

    /** Forgets the user's consent to the application ("Authorized applications" > Revoke). */
    @WithTransaction
    public Uni<Void> withdraw(long userId, long applicationId) {
        return consents.delete("userId = ?1 and applicationId = ?2", userId, applicationId).replaceWithVoid();
    }
}
