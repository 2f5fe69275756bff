package io.storeman.oauth.keys;

import io.smallrye.mutiny.Uni;
import io.storeman.common.StoremanConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The signing keys as the rest of the code sees them: the key that signs access tokens, the key of each algorithm
 * (ID tokens sign with their client's), the keys that verify, and the JWKS. It holds the {@link KeyRing} last read
 * from the {@link SigningKeyStore} (shared by every instance through the database) and asks it at the time of each
 * call; {@link KeyRotationJob} creates the first key of each algorithm at start, re-reads the keys every
 * {@code reload-interval} and rotates them. A deployment may supply its own PEM key: it alone signs its algorithm,
 * access tokens included, and never rotates; the other algorithm's keys are kept in the database as usual (O2).
 */
@ApplicationScoped
public class SigningKeys {

    /** How long clients may cache the JWKS; the publish lead of the next key must exceed it. */
    public static final int JWKS_MAX_AGE_SECONDS = 300;

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);
    /** An unknown kid triggers a reload at most this often, so garbage tokens cannot hammer the database. */
    private static final Duration UNKNOWN_KID_RELOAD_SPACING = Duration.ofSeconds(5);
    private static final Pattern SANE_KID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final SigningKeyStore store;
    private final SignatureProvider signatures;
    private final Optional<SigningKey> supplied;
    /** The algorithm of access tokens: the supplied key's, else {@code storeman.keys.algorithm}. */
    private final SigningAlgorithm accessTokenAlgorithm;
    private final AtomicLong lastUnknownKidReload = new AtomicLong(System.nanoTime() - Duration.ofHours(1).toNanos());
    private volatile KeyRing ring;
    private volatile Jwks jwks;

    SigningKeys(SigningKeyStore store, StoremanConfig config) {
        this.store = store;
        this.signatures = SignatureProvider.of(config.keys().nativeSignatures());
        this.supplied = config.keys().privateKeyPem().filter(value -> !value.isBlank()).map(KeyEncoding::fromPem)
                .map(key -> key.signedBy(signatures));
        this.accessTokenAlgorithm = supplied.map(SigningKey::algorithm)
                .orElseGet(() -> SigningAlgorithm.configured(config.keys().algorithm()));
    }

    /** The JWK Set document of the published keys {@code kids}. */
    private record Jwks(List<String> kids, String document) {
    }

    /** Whether a signing key has been loaded (start-up is complete). */
    public boolean isLoaded() {
        return ring != null;
    }

    /**
     * The key new access tokens are signed with: the one of their algorithm (the supplied key's, else
     * {@code storeman.keys.algorithm}) that signs now. Changing that setting changes only which algorithm's key this
     * is, since both always exist.
     */
    public SigningKey active() {
        return active(accessTokenAlgorithm);
    }

    /** The algorithm access tokens are signed with. */
    public SigningAlgorithm accessTokenAlgorithm() {
        return accessTokenAlgorithm;
    }

    /** The key that signs with {@code algorithm} now, such as an ID token's for its client's registered algorithm. */
    public SigningKey active(SigningAlgorithm algorithm) {
        return ring().signing(Instant.now(), algorithm)
                .orElseThrow(() -> new IllegalStateException("No " + algorithm + " signing key is published"));
    }

    /**
     * The key named by a {@code kid}, if this server publishes it; verify with its public key and only its algorithm.
     * An unknown kid prompts an early reload.
     */
    public Optional<SigningKey> published(String kid) {
        if (kid == null) {
            return Optional.empty();
        }
        Optional<SigningKey> key = ring().published(kid, Instant.now());
        if (key.isEmpty()) {
            reloadSoon(kid);
        }
        return key;
    }

    /** The JWK Set document (RFC 7517) of every published key, of every algorithm. */
    public String jwks() {
        List<SigningKey> published = ring().published(Instant.now());
        List<String> kids = published.stream().map(SigningKey::kid).toList();
        Jwks rendered = jwks;
        if (rendered == null || !rendered.kids().equals(kids)) {
            rendered = new Jwks(kids, KeyEncoding.jwks(published));
            jwks = rendered;
        }
        return rendered.document();
    }

    /** The keys this instance knows, newest activation first. */
    public List<StoredKey> known() {
        return ring().keys();
    }

    /**
     * Reads the published keys from the database, beside the supplied key if there is one; fails, keeping the keys
     * known, when an algorithm would have no key to sign with.
     */
    public Uni<Void> load() {
        KeyRing known = knownRing();
        return store.load(known)
                .invoke(keys -> {
                    KeyRing read = known.withStored(keys.stream().map(stored -> stored.signedBy(signatures)).toList());
                    Instant now = Instant.now();
                    for (SigningAlgorithm algorithm : SigningAlgorithm.values()) {
                        if (read.signing(now, algorithm).isEmpty()) {
                            throw new IllegalStateException("No " + algorithm + " signing key is published");
                        }
                    }
                    ring = read;
                })
                .replaceWithVoid();
    }

    /** The ring last read, or before the first read the ring of the supplied key alone (if any). */
    KeyRing knownRing() {
        KeyRing current = ring;
        if (current != null) {
            return current;
        }
        return supplied.map(key -> KeyRing.supplied(key, List.of())).orElse(KeyRing.EMPTY);
    }

    /**
     * Re-reads the keys once start-up has loaded them (before that, start-up loads them); a failure keeps the keys
     * known and is logged.
     */
    Uni<Void> reload() {
        if (!isLoaded()) {
            return Uni.createFrom().voidItem();
        }
        return load().onFailure().recoverWithItem(failure -> {
            LOG.warnf("Reloading signing keys failed: %s", failure.getMessage());
            return null;
        });
    }

    /** The keys last read; refused before start-up has loaded them. */
    KeyRing ring() {
        KeyRing current = ring;
        if (current == null) {
            throw new IllegalStateException("The signing keys are not loaded yet");
        }
        return current;
    }

    private void reloadSoon(String kid) {
        if (!SANE_KID.matcher(kid).matches()) {
            return;
        }
        long now = System.nanoTime();
        long last = lastUnknownKidReload.get();
        if (now - last >= UNKNOWN_KID_RELOAD_SPACING.toNanos() && lastUnknownKidReload.compareAndSet(last, now)) {
            reload().subscribe().with(done -> { }, failure -> { });
        }
    }
}
