package io.storeman.oauth.keys;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The signing keys at hand and the rules over them: which key signs with each algorithm, which are published, which
 * one a {@code kid} names, and whether a rotation of an algorithm's keys is due and what it would do. An immutable
 * value with no clock of its own (every answer that depends on time takes {@code now}), no SQL and no CDI, so that each
 * rule is unit-tested alone.
 * <p>
 * The ring holds keys of every {@link SigningAlgorithm}: access tokens sign with the configured one, ID tokens with the
 * one their client registered (OpenID Connect asks that RS256 always be there). Each algorithm's keys follow the same
 * rules, apart from those of the other; a key keeps its one algorithm for life (RFC 8725 §3.1).
 * <ul>
 * <li>The key of an algorithm that signs is the newest of that algorithm whose activation has come, among the
 * unexpired ones.</li>
 * <li>The published keys (the JWKS) are the unexpired ones of every algorithm: the next key before it signs, the
 * signing keys, and retired keys until every token they signed has expired.</li>
 * <li>A rotation of an algorithm is due when no unretired key of it waits to activate, and the newest of them has
 * signed for {@code period - lead}, or none of them is left unretired (O1). The next key then activates {@code lead}
 * from now; at that moment the unretired keys of that algorithm retire, and they expire the access-token lifetime
 * plus the retire margin later.</li>
 * <li>An algorithm without a usable key gets its first key at start, which signs at once; beside keys of the other
 * algorithm it activates just before the newest activated one (O1).</li>
 * <li>A key the deployment supplies (PEM) covers its algorithm: it alone signs and is published for it, and it never
 * rotates; the other algorithm's keys are stored and rotate as above (O2).</li>
 * </ul>
 */
public final class KeyRing {

    /** No key: nothing signs, nothing is published, every algorithm misses its first key. */
    public static final KeyRing EMPTY = new KeyRing(List.of(), null);

    private static final Comparator<StoredKey> NEWEST_FIRST =
            Comparator.comparing(StoredKey::activatesAt, Comparator.reverseOrder());
    /** How much earlier than the newest activated key a first key beside it activates: see {@link #firstActivation}. */
    private static final Duration BEFORE_NEWEST = Duration.ofSeconds(1);

    /** Newest activation first; of two activating together, the one first in the list given. */
    private final List<StoredKey> keys;
    /** The key the deployment supplies, or null. */
    private final SigningKey supplied;

    private KeyRing(List<StoredKey> keys, SigningKey supplied) {
        this.keys = keys;
        this.supplied = supplied;
    }

    /** The ring of these stored keys, in any order. */
    public static KeyRing of(List<StoredKey> keys) {
        return ring(keys, null);
    }

    /**
     * The ring of a key the deployment supplies (PEM) and of the stored keys: the supplied key signs its algorithm
     * from always to forever and never rotates; stored keys of its algorithm are left out, those of the other
     * algorithm sign and rotate as usual (O2).
     */
    public static KeyRing supplied(SigningKey key, List<StoredKey> stored) {
        return ring(stored, key);
    }

    /** This ring's supplied key, if any, with {@code stored} as its stored keys: the ring of a fresh read. */
    public KeyRing withStored(List<StoredKey> stored) {
        return ring(stored, supplied);
    }

    private static KeyRing ring(List<StoredKey> stored, SigningKey supplied) {
        List<StoredKey> sorted = new ArrayList<>();
        if (supplied != null) {
            sorted.add(new StoredKey(supplied, Instant.EPOCH, null, null));
        }
        for (StoredKey key : stored) {
            if (supplied == null || key.key().algorithm() != supplied.algorithm()) {
                sorted.add(key);
            }
        }
        sorted.sort(NEWEST_FIRST); // stable: ties keep the given order
        return new KeyRing(List.copyOf(sorted), supplied);
    }

    /** Every key of the ring, expired or not, newest activation first. */
    public List<StoredKey> keys() {
        return keys;
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    /** The key the deployment supplies (PEM), if it does. */
    public Optional<SigningKey> supplied() {
        return Optional.ofNullable(supplied);
    }

    /** Whether a supplied key covers {@code algorithm}, so that no stored key of it is read, made or rotated. */
    public boolean supplies(SigningAlgorithm algorithm) {
        return supplied != null && supplied.algorithm() == algorithm;
    }

    /**
     * The key of {@code algorithm} that signs at {@code now}: the newest unexpired key of that algorithm whose
     * activation has come. When none has come yet (a clock behind the one that stamped the keys, or a rotation made
     * after every key of the algorithm expired), the unexpired key of that algorithm to activate first. Empty when
     * every key of that algorithm has expired or there is none.
     */
    public Optional<SigningKey> signing(Instant now, SigningAlgorithm algorithm) {
        StoredKey first = null;
        for (StoredKey stored : keys) {
            if (stored.key().algorithm() == algorithm && stored.unexpiredAt(now)) {
                if (stored.activatedBy(now)) {
                    return Optional.of(stored.key());
                }
                first = stored;
            }
        }
        return Optional.ofNullable(first).map(StoredKey::key);
    }

    /** The keys published at {@code now}, the unexpired ones of every algorithm, newest activation first. */
    public List<SigningKey> published(Instant now) {
        return keys.stream().filter(stored -> stored.unexpiredAt(now)).map(StoredKey::key).toList();
    }

    /** The key {@code kid} names, if it is published at {@code now}. */
    public Optional<SigningKey> published(String kid, Instant now) {
        return find(kid).filter(stored -> stored.unexpiredAt(now)).map(StoredKey::key);
    }

    /** The key {@code kid} names, whenever it expires. */
    public Optional<SigningKey> key(String kid) {
        return find(kid).map(StoredKey::key);
    }

    /**
     * Whether an unexpired key of {@code algorithm} is not planned to retire: false on the first start, on the first
     * start of this version beside keys of one algorithm only, and after a sleep so long that every key expired.
     */
    public boolean hasUsableKey(Instant now, SigningAlgorithm algorithm) {
        return keys.stream().anyMatch(stored -> stored.key().algorithm() == algorithm && stored.unretired()
                && stored.unexpiredAt(now));
    }

    /** The algorithms that lack a usable key at {@code now}, whose first key start-up makes. */
    public List<SigningAlgorithm> missing(Instant now) {
        return Arrays.stream(SigningAlgorithm.values()).filter(algorithm -> !hasUsableKey(now, algorithm)).toList();
    }

    /**
     * When a first key made at {@code now} activates: at once on a ring with no activated key, else one second before
     * the newest activated unexpired stored key. An instance of the previous version, which knew one algorithm, signs
     * access tokens with the newest activated key of any algorithm; a first RS256 key made beside ES256 keys during a
     * rolling upgrade must not become that key, or those instances would switch their access tokens to RS256 (O1).
     * The key signs at once either way: it is the only one of its algorithm.
     */
    public Instant firstActivation(Instant now) {
        return keys.stream()
                .filter(stored -> !supplies(stored.key().algorithm()) && stored.activatedBy(now)
                        && stored.unexpiredAt(now))
                .findFirst()
                .map(stored -> stored.activatesAt().minus(BEFORE_NEWEST))
                .orElse(now);
    }

    /**
     * The rotation of {@code algorithm}'s keys due at {@code now} under {@code policy}, if one is: when no unretired
     * key of it waits to activate, and the newest of them activated at least {@code period - lead} ago, or none is
     * unretired (every one was retired, as an instance of the previous version does to a key not of its algorithm, or
     * has expired: O1). Never for the algorithm of a supplied key.
     */
    public Optional<Rotation> rotation(Instant now, Policy policy, SigningAlgorithm algorithm) {
        if (supplies(algorithm)) {
            return Optional.empty();
        }
        List<StoredKey> current = keys.stream().filter(stored -> stored.key().algorithm() == algorithm
                && stored.unretired() && stored.unexpiredAt(now)).toList();
        if (!current.isEmpty() && (!current.get(0).activatedBy(now)
                || current.get(0).activatesAt().plus(policy.dueAfter()).isAfter(now))) {
            return Optional.empty(); // the next key is waiting, or the current one has not signed its period yet
        }
        Instant handover = now.plus(policy.lead());
        return Optional.of(new Rotation(algorithm, handover, handover,
                handover.plus(policy.tokenLifetime()).plus(policy.retireMargin()),
                current.stream().map(stored -> stored.key().kid()).toList()));
    }

    private Optional<StoredKey> find(String kid) {
        if (kid == null) {
            return Optional.empty();
        }
        return keys.stream().filter(stored -> stored.key().kid().equals(kid)).findFirst();
    }

    @Override
    public String toString() {
        return "KeyRing" + keys.stream().map(stored -> stored.key().kid()).toList()
                + (supplied == null ? "" : " (supplied " + supplied.kid() + ")");
    }

    /**
     * How the keys of each algorithm rotate: a key signs for {@code period}, the next one is published {@code lead}
     * before it signs, and a retired key stays published for {@code tokenLifetime} (the access-token lifetime, which
     * ID tokens share) plus {@code retireMargin}.
     */
    public record Policy(Duration period, Duration lead, Duration tokenLifetime, Duration retireMargin) {

        public Policy {
            for (Duration duration : List.of(period, lead, tokenLifetime, retireMargin)) {
                if (duration.isNegative()) {
                    throw new IllegalArgumentException("A negative duration in the key rotation policy: " + duration);
                }
            }
        }

        /** How long the newest key signs before the next one is published: {@code period - lead}, at least 0. */
        public Duration dueAfter() {
            Duration dueAfter = period.minus(lead);
            return dueAfter.isNegative() ? Duration.ZERO : dueAfter;
        }
    }

    /**
     * A rotation of {@code algorithm}'s keys: the next key, of that algorithm, activates at {@code activatesAt}; the
     * keys {@code retiring} (by kid, all of that algorithm; none when none was left unretired) retire at
     * {@code retiresAt}, the same moment, and leave the JWKS at {@code expiresAt}.
     */
    public record Rotation(SigningAlgorithm algorithm, Instant activatesAt, Instant retiresAt, Instant expiresAt,
            List<String> retiring) {

        public Rotation {
            Objects.requireNonNull(algorithm, "algorithm");
            retiring = List.copyOf(retiring);
        }
    }
}
