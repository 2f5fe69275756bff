package io.storeman.oauth.keys;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The signing keys at hand and the rules over them: which key signs, which are published, which one a {@code kid}
 * names, and whether a rotation is due and what it would do. An immutable value with no clock of its own (every
 * answer that depends on time takes {@code now}), no SQL and no CDI, so that each rule is unit-tested alone.
 * <ul>
 * <li>The key that signs is the newest whose activation has come, among the unexpired ones.</li>
 * <li>The published keys (the JWKS) are the unexpired ones: the next key before it signs, the signing key, and
 * retired keys until every token they signed has expired.</li>
 * <li>A rotation is due when no unretired key waits to activate and the newest of them has signed for
 * {@code period - lead}, or one of them signs with another algorithm than the configured one. The next key then
 * activates {@code lead} from now; at that moment the unretired keys retire, and they expire the access-token
 * lifetime plus the retire margin later. A supplied (PEM) key never rotates.</li>
 * </ul>
 */
public final class KeyRing {

    /** No key: nothing signs, nothing is published, no rotation is due (start-up stores the first key). */
    public static final KeyRing EMPTY = new KeyRing(List.of(), false);

    private static final Comparator<StoredKey> NEWEST_FIRST =
            Comparator.comparing(StoredKey::activatesAt, Comparator.reverseOrder());

    /** Newest activation first; of two activating together, the one first in the list given. */
    private final List<StoredKey> keys;
    private final boolean supplied;

    private KeyRing(List<StoredKey> keys, boolean supplied) {
        this.keys = keys;
        this.supplied = supplied;
    }

    /** The ring of these stored keys, in any order. */
    public static KeyRing of(List<StoredKey> keys) {
        List<StoredKey> sorted = new ArrayList<>(keys);
        sorted.sort(NEWEST_FIRST); // stable: ties keep the given order
        return new KeyRing(List.copyOf(sorted), false);
    }

    /** The ring of a key the deployment supplies (PEM): it signs from always to forever and never rotates. */
    public static KeyRing supplied(SigningKey key) {
        return new KeyRing(List.of(new StoredKey(key, Instant.EPOCH, null, null)), true);
    }

    /** Every key of the ring, expired or not, newest activation first. */
    public List<StoredKey> keys() {
        return keys;
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    /** Whether this is the ring of a supplied (PEM) key. */
    public boolean isSupplied() {
        return supplied;
    }

    /**
     * The key that signs at {@code now}: the newest unexpired key whose activation has come. When none has come yet
     * (a clock behind the one that stamped the keys), the unexpired key to activate first. Empty when every key has
     * expired or there is none.
     */
    public Optional<SigningKey> signing(Instant now) {
        StoredKey first = null;
        for (StoredKey stored : keys) {
            if (stored.unexpiredAt(now)) {
                if (stored.activatedBy(now)) {
                    return Optional.of(stored.key());
                }
                first = stored;
            }
        }
        return Optional.ofNullable(first).map(StoredKey::key);
    }

    /**
     * The key of {@code algorithm} that signs at {@code now}, by the rule of {@link #signing(Instant)} among the keys
     * of that algorithm only: an ID token signs with the algorithm its client registered, whatever signs access tokens.
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

    /** The keys published at {@code now}, the unexpired ones, newest activation first. */
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
     * Whether an unexpired key is not planned to retire: false on the first start, and after a sleep so long that
     * every key expired; then a first key must be made.
     */
    public boolean hasUsableKey(Instant now) {
        return keys.stream().anyMatch(stored -> stored.unretired() && stored.unexpiredAt(now));
    }

    /**
     * The rotation due at {@code now} under {@code policy}, if one is: when no unretired key waits to activate, and
     * the newest of them activated at least {@code period - lead} ago or one of them signs with another algorithm
     * than the policy's. Never for a supplied key, nor for an empty ring.
     */
    public Optional<Rotation> rotation(Instant now, Policy policy) {
        if (supplied) {
            return Optional.empty();
        }
        List<StoredKey> current = keys.stream().filter(stored -> stored.unretired() && stored.unexpiredAt(now))
                .toList();
        if (current.isEmpty() || !current.get(0).activatedBy(now)) {
            return Optional.empty(); // nothing to rotate, or the next key is waiting
        }
        boolean aged = !current.get(0).activatesAt().plus(policy.dueAfter()).isAfter(now);
        boolean otherAlgorithm = current.stream().anyMatch(stored -> stored.key().algorithm() != policy.algorithm());
        if (!aged && !otherAlgorithm) {
            return Optional.empty();
        }
        Instant handover = now.plus(policy.lead());
        return Optional.of(new Rotation(handover, handover,
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
        return "KeyRing" + keys.stream().map(stored -> stored.key().kid()).toList() + (supplied ? " (supplied)" : "");
    }

    /**
     * How keys rotate: a key signs for {@code period}, the next one is published {@code lead} before it signs, a
     * retired key stays published for {@code tokenLifetime} (the access-token lifetime) plus {@code retireMargin},
     * and new keys sign with {@code algorithm}.
     */
    public record Policy(Duration period, Duration lead, Duration tokenLifetime, Duration retireMargin,
            SigningAlgorithm algorithm) {

        public Policy {
            Objects.requireNonNull(algorithm, "algorithm");
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
     * A rotation: the next key activates at {@code activatesAt}; the keys {@code retiring} (by kid) retire at
     * {@code retiresAt}, the same moment, and leave the JWKS at {@code expiresAt}.
     */
    public record Rotation(Instant activatesAt, Instant retiresAt, Instant expiresAt, List<String> retiring) {

        public Rotation {
            retiring = List.copyOf(retiring);
        }
    }
}
