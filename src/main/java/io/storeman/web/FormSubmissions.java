package io.storeman.web;

import io.smallrye.mutiny.Uni;
import io.storeman.common.Secrets;
import io.storeman.session.WebSessions;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What makes the application pages' forms safe to send twice (D11). Each form carries a one-time token beside its
 * CSRF token; the first post with it reserves the token for the session, and a replay (a reload of the answer to a
 * post, a double click, the same body sent again) is answered with the first post's redirect instead of doing the
 * work again. A secret to show once waits here, encrypted, for the page that redirect opens, which takes it: the
 * next load of that page finds nothing.
 * <p>
 * The secret is encrypted with AES-256-GCM under a key derived from the session's cookie value, which the database
 * never holds (it keeps only the cookie's SHA-256), so whoever reads the table or a backup cannot read a waiting
 * secret. Rows end with their session (foreign key) and after a day (Housekeeping); a secret not shown within an
 * hour is not shown at all.
 */
@ApplicationScoped
public class FormSubmissions {

    /** The hidden field of the one-time token. */
    public static final String FIELD = "_once";
    /** Tokens are {@link Secrets#newToken()}s: 43 base64url characters. Anything else is refused unread. */
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final String KEY_LABEL = "storeman-form-secret:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A secret taken to be shown, with the id of its row in {@code client_secrets}. */
    public record Shown(long secretId, String value) {
    }

    /** Where a completed post sent the browser, and the secret that page is to show once (or null). */
    public record Outcome(URI redirect, Long applicationId, Long secretId, String secret) {

        public static Outcome redirect(URI redirect) {
            return new Outcome(redirect, null, null, null);
        }
    }

    private final Pool pool;

    FormSubmissions(Pool pool) {
        this.pool = pool;
    }

    /** A token for one more form. */
    public static String newToken() {
        return Secrets.newToken();
    }

    public static boolean isWellFormed(String token) {
        return token != null && WELL_FORMED.matcher(token).matches();
    }

    /**
     * Reserves {@code token} for this session: empty when this is its first post, which should go ahead; else the
     * redirect the first post answered with (the list of applications while that post is still running).
     */
    public Uni<Optional<URI>> reserve(WebSessions.SignedIn signedIn, String token, URI whileRunning) {
        String session = Secrets.sha256(signedIn.sessionToken());
        return pool.preparedQuery("insert into web_form_submissions (session_hash, form_token) values ($1, $2)"
                        + " on conflict do nothing")
                .execute(Tuple.of(session, token))
                .chain(inserted -> inserted.rowCount() == 1
                        ? Uni.createFrom().item(Optional.<URI>empty())
                        : pool.preparedQuery("select redirect from web_form_submissions where session_hash = $1"
                                        + " and form_token = $2")
                                .execute(Tuple.of(session, token))
                                .map(rows -> {
                                    String redirect = rows.size() == 0 ? null
                                            : rows.iterator().next().getString("redirect");
                                    return Optional.of(redirect == null ? whileRunning : URI.create(redirect));
                                }));
    }

    /** Records what the first post of {@code token} did, so that replays answer the same. */
    public Uni<Void> complete(WebSessions.SignedIn signedIn, String token, Outcome outcome) {
        String sealed = outcome.secret() == null ? null
                : seal(signedIn.sessionToken(), outcome.applicationId(), outcome.secret());
        return pool.preparedQuery("update web_form_submissions set redirect = $3, application_id = $4,"
                        + " secret_id = $5, sealed_secret = $6 where session_hash = $1 and form_token = $2")
                .execute(Tuple.from(Arrays.asList(Secrets.sha256(signedIn.sessionToken()), token,
                        outcome.redirect().toString(), outcome.applicationId(), outcome.secretId(), sealed)))
                .replaceWithVoid();
    }

    /** Frees {@code token} after its post failed without changing anything, so that sending it again is judged anew. */
    public Uni<Void> release(WebSessions.SignedIn signedIn, String token) {
        return pool.preparedQuery("delete from web_form_submissions where session_hash = $1 and form_token = $2")
                .execute(Tuple.of(Secrets.sha256(signedIn.sessionToken()), token))
                .replaceWithVoid();
    }

    /**
     * Takes the secrets waiting to be shown on the page of {@code applicationId}, newest first: each is handed out
     * once (one statement locks, returns and clears them, so two loads at once cannot both get one). A secret deleted
     * meanwhile, or older than an hour, is dropped unseen.
     */
    public Uni<List<Shown>> takeSecrets(WebSessions.SignedIn signedIn, long applicationId) {
        return pool.preparedQuery("with taken as (select form_token, sealed_secret, secret_id, created_at"
                        + " from web_form_submissions where session_hash = $1 and application_id = $2"
                        + " and sealed_secret is not null for update)"
                        + " update web_form_submissions w set sealed_secret = null from taken"
                        + " where w.session_hash = $1 and w.form_token = taken.form_token"
                        + " returning taken.sealed_secret, taken.secret_id, taken.created_at,"
                        + " taken.created_at > now() - interval '1 hour' as fresh")
                .execute(Tuple.of(Secrets.sha256(signedIn.sessionToken()), applicationId))
                .map(rows -> {
                    List<Row> shown = new ArrayList<>();
                    rows.forEach(row -> {
                        if (row.getLong("secret_id") != null && row.getBoolean("fresh")) {
                            shown.add(row);
                        }
                    });
                    shown.sort(Comparator.comparing((Row row) -> row.getOffsetDateTime("created_at")).reversed());
                    return shown.stream()
                            .flatMap(row -> unseal(signedIn.sessionToken(), applicationId,
                                    row.getString("sealed_secret"))
                                    .map(value -> new Shown(row.getLong("secret_id"), value))
                                    .stream())
                            .toList();
                });
    }

    static String seal(String sessionToken, long applicationId, String secret) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            byte[] sealed = cipher(Cipher.ENCRYPT_MODE, sessionToken, applicationId, nonce)
                    .doFinal(secret.getBytes(StandardCharsets.UTF_8));
            byte[] stored = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, stored, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, stored, NONCE_BYTES, sealed.length);
            return Base64.getEncoder().encodeToString(stored);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is missing from this JVM", e);
        }
    }

    /** The secret, or empty when the value was not sealed under this session for this application. */
    static Optional<String> unseal(String sessionToken, long applicationId, String stored) {
        try {
            byte[] bytes = Base64.getDecoder().decode(stored);
            byte[] nonce = Arrays.copyOf(bytes, NONCE_BYTES);
            byte[] plain = cipher(Cipher.DECRYPT_MODE, sessionToken, applicationId, nonce)
                    .doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
            return Optional.of(new String(plain, StandardCharsets.UTF_8));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** AES-256-GCM keyed by the session, with the application as associated data: a row moved elsewhere fails. */
    private static Cipher cipher(int mode, String sessionToken, long applicationId, byte[] nonce)
            throws GeneralSecurityException {
        byte[] key = MessageDigest.getInstance("SHA-256")
                .digest((KEY_LABEL + sessionToken).getBytes(StandardCharsets.UTF_8));
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(("application:" + applicationId).getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
