package io.storeman.oauth.authorize;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.storeman.application.OAuthApplication;
import io.storeman.common.Secrets;
import io.storeman.common.StoremanConfig;
import io.storeman.oauth.OAuthError;
import io.storeman.oauth.Scopes;
import io.storeman.security.LoginThrottle;
import io.storeman.security.UserQuota;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * The device authorization grant's rules (RFC 8628) short of the token endpoint: issuing a device code with its user
 * code (§3.1-§3.3), and finding and deciding a request by the user code the signed-in user enters (§3.3). A user code
 * has 8 characters of 20 consonants (20^8, about 2.6 * 10^10 values), and guessing one is throttled per user and per
 * address (G4); a wrong, expired or decided code is one answer, "invalid or expired", so nothing tells them apart
 * (G3).
 */
@ApplicationScoped
public class DeviceAuthorizations {

    /** RFC 8628 §3.2's {@code interval}, in seconds: the device's first polling interval. */
    public static final int INTERVAL_SECONDS = 5;
    /** Consonants only, without ambiguous ones (no vowels: no words; no I, O, U, Y, nor digits to confuse). */
    static final String ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
    static final int USER_CODE_LENGTH = 8;
    /** Longest entry worth reading: the code with a dash and some spaces; longer is refused unread. */
    private static final int MAX_ENTRY_LENGTH = 32;
    private static final int DRAWS = 3;

    /** RFC 8628 §3.2's answer, before the endpoint adds the verification URIs. */
    public record Started(String deviceCode, String userCode, long expiresIn, int interval) {
    }

    /**
     * A user code that cannot be used: invalid, expired or decided already (one answer for all, G3), or, with a
     * {@code retryAfterSeconds}, too many attempts by this user or from this address (G4).
     */
    public static final class UserCodeRefused extends RuntimeException {

        private final long retryAfterSeconds;

        UserCodeRefused(long retryAfterSeconds) {
            super("user code refused", null, false, false);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public boolean throttled() {
            return retryAfterSeconds > 0;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    private final DeviceAuthorizationStore store;
    private final Consents consents;
    private final UserQuota quota;
    private final LoginThrottle throttle;
    private final StoremanConfig.OAuth settings;

    DeviceAuthorizations(DeviceAuthorizationStore store, Consents consents, UserQuota quota, LoginThrottle throttle,
            StoremanConfig config) {
        this.store = store;
        this.consents = consents;
        this.quota = quota;
        this.throttle = throttle;
        this.settings = config.oauth();
    }

    /**
     * A new device code and user code for an authenticated client (§3.1), with the requested scope (default
     * {@code public}) within the client's registered scopes. A client holds at most
     * {@code storeman.oauth.device-codes-per-client} undecided codes at once (G2): beyond, 429 {@code slow_down}.
     */
    public Uni<Started> start(OAuthApplication client, Optional<String> scope) {
        Scopes requested = Scopes.parse(scope.orElse(null), Scopes.DEFAULT);
        if (requested.isEmpty() || !client.scopes.containsAll(requested)) {
            throw OAuthError.INVALID_SCOPE.exception(
                    "The requested scope is invalid or exceeds what the application is registered for.");
        }
        return draw(client, requested, 1);
    }

    private Uni<Started> draw(OAuthApplication client, Scopes scopes, int attempt) {
        String deviceCode = Secrets.newToken();
        String userCode = newUserCode();
        return store.insert(client.id, Secrets.sha256(deviceCode), Secrets.sha256(userCode), scopes,
                        settings.deviceCodeTtl(), INTERVAL_SECONDS, settings.deviceCodesPerClient())
                .chain(result -> switch (result) {
                    case STORED -> Uni.createFrom().item(new Started(deviceCode, display(userCode),
                            settings.deviceCodeTtl().toSeconds(), INTERVAL_SECONDS));
                    case USER_CODE_TAKEN -> attempt < DRAWS
                            ? draw(client, scopes, attempt + 1)
                            : Uni.createFrom().failure(OAuthError.TEMPORARILY_UNAVAILABLE.exception()
                                    .withRetryAfter(INTERVAL_SECONDS));
                    case CLIENT_FULL -> Uni.createFrom().failure(OAuthError.SLOW_DOWN.exception(
                                    "Too many device codes of this client await a decision. Retry later.")
                            .withRetryAfter(INTERVAL_SECONDS * 12L));
                });
    }

    /** 8 characters of {@link #ALPHABET}, uniformly drawn (bytes of 240 or more are drawn again). */
    static String newUserCode() {
        StringBuilder code = new StringBuilder(USER_CODE_LENGTH);
        while (code.length() < USER_CODE_LENGTH) {
            for (byte random : Secrets.randomBytes(USER_CODE_LENGTH)) {
                int value = random & 0xff;
                if (value < 240 && code.length() < USER_CODE_LENGTH) {
                    code.append(ALPHABET.charAt(value % ALPHABET.length()));
                }
            }
        }
        return code.toString();
    }

    /** A stored user code as shown to people: {@code XXXX-XXXX}. */
    static String display(String userCode) {
        return userCode.substring(0, 4) + "-" + userCode.substring(4);
    }

    /**
     * An entered user code as stored: upper case, without dashes and spaces; null when it cannot be one (wrong
     * length or a character outside the alphabet).
     */
    public static String normalize(String entered) {
        if (entered == null || entered.length() > MAX_ENTRY_LENGTH) {
            return null;
        }
        StringBuilder code = new StringBuilder(USER_CODE_LENGTH);
        for (char c : entered.toUpperCase(Locale.ROOT).toCharArray()) {
            if (c == '-' || c == ' ') {
                continue;
            }
            if (ALPHABET.indexOf(c) < 0 || code.length() == USER_CODE_LENGTH) {
                return null;
            }
            code.append(c);
        }
        return code.length() == USER_CODE_LENGTH ? code.toString() : null;
    }

    /** The entry as the page may show it back: the normalised code formatted, else empty. */
    public static String displayable(String entered) {
        String code = normalize(entered);
        return code == null ? "" : display(code);
    }

    /**
     * The undecided request of the user code {@code entered} by {@code userId} from {@code address}, or a
     * {@link UserCodeRefused}. Every well-formed entry takes one of the user's attempts (G4); one that finds nothing
     * also counts as a failed authentication from the address, as a wrong password does.
     */
    public Uni<DeviceAuthorizationStore.Pending> find(long userId, String address, String entered) {
        String code = normalize(entered);
        if (code == null) {
            return Uni.createFrom().failure(new UserCodeRefused(0));
        }
        if (throttle.isAddressBlocked(address)) {
            return Uni.createFrom().failure(new UserCodeRefused(throttle.retryAfterSeconds(address)));
        }
        return quota.take(userId, UserQuota.Kind.DEVICE_CODE).chain(decision -> {
            if (!decision.allowed()) {
                return Uni.createFrom().failure(new UserCodeRefused(decision.retryAfterSeconds()));
            }
            return store.pending(Secrets.sha256(code)).chain(pending -> pending != null
                    ? Uni.createFrom().item(pending)
                    : throttle.addressFailed(address).chain(() -> Uni.createFrom().failure(new UserCodeRefused(0))));
        });
    }

    /**
     * The user's answer to the request of {@code entered} (found again, as {@link #find} does): approving binds it to
     * the user, who signed in at {@code authTime}, and records the consent as the code flow does, in one transaction.
     * A request decided meanwhile (or expired) is refused like an invalid code.
     */
    public Uni<DeviceAuthorizationStore.Pending> decide(long userId, Instant authTime, String address, String entered,
            boolean approve) {
        return find(userId, address, entered)
                .chain(pending -> Panache.withTransaction(() -> store.decide(pending.id(), approve, userId, authTime)
                        .chain(won -> {
                            if (!won) {
                                return Uni.createFrom().failure(new UserCodeRefused(0));
                            }
                            return approve
                                    ? consents.grant(userId, pending.applicationId(), pending.scope())
                                            .replaceWith(pending)
                                    : Uni.createFrom().item(pending);
                        })));
    }
}
