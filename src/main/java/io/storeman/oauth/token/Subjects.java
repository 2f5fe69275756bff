package io.storeman.oauth.token;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.storeman.application.OAuthApplication;
import io.storeman.common.ServerSecrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The OpenID Connect {@code sub} of a user as a client sees it (Core 1.0 §8, docs/security.md O11). A public client
 * sees the user's id, the {@code sub} access tokens carry: stable, never reassigned, never the e-mail address. A
 * pairwise client sees an HMAC-SHA-256 of its sector (the host of its redirect URI) and the user's id, under a key
 * every instance shares ({@link ServerSecrets}), so that clients of two hosts cannot correlate a user by {@code sub},
 * while every client of one host sees the same one.
 */
@ApplicationScoped
public class Subjects {

    public static final String PUBLIC = "public";
    public static final String PAIRWISE = "pairwise";
    static final String KEY_NAME = "pairwise_subject_key";
    private static final String MAC = "HmacSHA256";
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final ServerSecrets secrets;
    private volatile SecretKeySpec key;

    Subjects(ServerSecrets secrets) {
        this.secrets = secrets;
    }

    void onStart(@Observes StartupEvent event) throws Throwable {
        byte[] bytes = VertxContextSupport.subscribeAndAwait(() -> secrets.get(KEY_NAME));
        key = new SecretKeySpec(bytes, MAC);
    }

    /** The {@code sub} of {@code userId} for {@code client}: public or pairwise as the client registered. */
    public String subject(OAuthApplication client, long userId) {
        if (!PAIRWISE.equals(client.subjectType)) {
            return Long.toString(userId);
        }
        return pairwise(sector(client), userId);
    }

    /** The pairwise {@code sub} of a user in a sector: 43 base64url characters, never a user id. */
    String pairwise(String sector, long userId) {
        try {
            Mac mac = Mac.getInstance(MAC);
            mac.init(key);
            byte[] digest = mac.doFinal((sector + "\n" + userId).getBytes(StandardCharsets.UTF_8));
            return BASE64URL.encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * The sector of a pairwise client: the host of its redirect URI (Core 1.0 §8.1); registration refuses pairwise
     * without one.
     */
    static String sector(OAuthApplication client) {
        String host = client.redirectUri == null ? null : URI.create(client.redirectUri).getHost();
        if (host == null) {
            throw new IllegalStateException("A pairwise client without a redirect URI host: " + client.clientId);
        }
        return host.toLowerCase(Locale.ROOT);
    }
}
