package io.storeman.oauth.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The rules of the key ring, without a database or a server: which key of each algorithm signs, which are published,
 * which one a kid names, and when a rotation of each algorithm is due and what it plans. Keys of one algorithm never
 * change what happens to the other's.
 */
class KeyRingTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final Duration PERIOD = Duration.ofDays(30);
    private static final Duration LEAD = Duration.ofHours(1);
    private static final Duration TOKEN_LIFETIME = Duration.ofHours(2);
    private static final Duration MARGIN = Duration.ofMinutes(10);
    private static final KeyRing.Policy POLICY = new KeyRing.Policy(PERIOD, LEAD, TOKEN_LIFETIME, MARGIN);
    private static final SigningAlgorithm ES256 = SigningAlgorithm.ES256;
    private static final SigningAlgorithm RS256 = SigningAlgorithm.RS256;
    /** When a key activated at the tests' origin becomes due: {@code period - lead} later. */
    private static final Instant DUE = T0.plus(PERIOD).minus(LEAD);

    private static final SigningKey A = SigningAlgorithm.ES256.newKey(2048);
    private static final SigningKey B = SigningAlgorithm.ES256.newKey(2048);
    private static final SigningKey C = SigningAlgorithm.ES256.newKey(2048);
    private static final SigningKey RSA = SigningAlgorithm.RS256.newKey(2048);
    private static final SigningKey RSB = SigningAlgorithm.RS256.newKey(2048);

    // Signing

    @Test
    void signingWhenSeveralActivatedThenTheNewest() {
        KeyRing ring = KeyRing.of(List.of(retired(A, T0.minus(PERIOD), T0, T0.plus(TOKEN_LIFETIME)), current(B, T0)));

        assertEquals(B, ring.signing(T0.plusSeconds(1), ES256).orElseThrow());
    }

    @Test
    void signingWhenNextKeyBeforeItsActivationThenTheCurrentOne() {
        Instant next = T0.plus(PERIOD);
        KeyRing ring = KeyRing.of(List.of(current(B, next), retired(A, T0, next, next.plus(TOKEN_LIFETIME))));

        assertEquals(A, ring.signing(next.minusNanos(1), ES256).orElseThrow(), "just before its activation");
        assertEquals(B, ring.signing(next, ES256).orElseThrow(), "exactly at its activation");
        assertEquals(B, ring.signing(next.plusSeconds(1), ES256).orElseThrow());
    }

    @Test
    void signingWhenNoKeyActivatedYetThenTheFirstToActivate() {
        KeyRing ring = KeyRing.of(List.of(current(B, T0.plusSeconds(20)), current(A, T0.plusSeconds(10))));

        assertEquals(A, ring.signing(T0, ES256).orElseThrow(), "a clock behind the database's still signs");
    }

    @Test
    void signingWhenNewestActivatedKeyExpiredThenTheNextUnexpired() {
        KeyRing ring = KeyRing.of(List.of(retired(B, T0, T0.plusSeconds(5), T0.plusSeconds(10)),
                current(A, T0.minusSeconds(60))));

        assertEquals(B, ring.signing(T0.plusSeconds(9), ES256).orElseThrow());
        assertEquals(A, ring.signing(T0.plusSeconds(10), ES256).orElseThrow(), "an expired key never signs");
    }

    @Test
    void signingWhenEveryKeyExpiredThenNone() {
        KeyRing ring = KeyRing.of(List.of(retired(A, T0, T0.plusSeconds(1), T0.plusSeconds(2))));

        assertEquals(Optional.empty(), ring.signing(T0.plusSeconds(2), ES256));
    }

    @Test
    void signingWhenKeysOfBothAlgorithmsThenEachAlgorithmItsOwnKeyWhateverIsNewer() {
        KeyRing ring = KeyRing.of(List.of(current(A, T0), current(RSA, T0.plusSeconds(10)),
                current(B, T0.plus(LEAD))));

        assertEquals(A, ring.signing(T0.plusSeconds(10), ES256).orElseThrow(), "a newer RSA key changes nothing");
        assertEquals(RSA, ring.signing(T0.plusSeconds(10), RS256).orElseThrow());
        assertEquals(RSA, ring.signing(T0, RS256).orElseThrow(), "the only RSA key, before its activation");
        assertEquals(B, ring.signing(T0.plus(LEAD), ES256).orElseThrow());
        assertEquals(RSA, ring.signing(T0.plus(LEAD), RS256).orElseThrow(), "the ES256 rotation leaves RS256 alone");
    }

    @Test
    void signingWhenNoKeyOfTheAlgorithmThenNoneEvenWithKeysOfTheOther() {
        KeyRing ring = KeyRing.of(List.of(current(A, T0)));

        assertEquals(Optional.empty(), ring.signing(T0, RS256));
        assertEquals(Optional.empty(), KeyRing.of(List.of(current(RSA, T0))).signing(T0, ES256));
    }

    @Test
    void signingWhenEveryKeyOfTheAlgorithmRetiredThenTheNewestUntilItExpires() {
        Instant retires = T0.plus(LEAD);
        Instant expires = retires.plus(TOKEN_LIFETIME).plus(MARGIN);
        KeyRing ring = KeyRing.of(List.of(retired(RSA, T0, retires, expires), current(A, T0)));

        assertEquals(RSA, ring.signing(retires.plusSeconds(1), RS256).orElseThrow(), "ID tokens still sign");
        assertEquals(Optional.empty(), ring.signing(expires, RS256));
    }

    // Publication

    @Test
    void publishedThenEveryUnexpiredKeyNewestFirstIncludingTheNextOne() {
        Instant next = T0.plus(PERIOD);
        Instant expiry = next.plus(TOKEN_LIFETIME).plus(MARGIN);
        KeyRing ring = KeyRing.of(List.of(
                retired(C, T0.minus(PERIOD), T0, T0.plusSeconds(60)),
                retired(A, T0, next, expiry),
                current(B, next)));

        assertEquals(List.of(B, A, C), ring.published(T0.plusSeconds(59)), "the next key before it signs");
        assertEquals(List.of(B, A), ring.published(T0.plusSeconds(60)), "gone exactly at its expiry");
        assertEquals(List.of(B, A), ring.published(expiry.minusNanos(1)), "retired, but unexpired");
        assertEquals(List.of(B), ring.published(expiry));
    }

    @Test
    void publishedWhenKeysOfBothAlgorithmsThenEveryUnexpiredKeyOfEach() {
        Instant next = T0.plus(PERIOD);
        Instant expiry = next.plus(TOKEN_LIFETIME).plus(MARGIN);
        KeyRing ring = KeyRing.of(List.of(current(A, T0), retired(RSA, T0.minusSeconds(5), next, expiry),
                current(RSB, next)));

        assertEquals(List.of(RSB, A, RSA), ring.published(T0), "the next RSA key, both signing keys");
        assertEquals(List.of(RSB, A), ring.published(expiry));
        assertEquals(RSA, ring.published(RSA.kid(), T0).orElseThrow());
        assertEquals(A, ring.published(A.kid(), T0).orElseThrow());
    }

    @Test
    void publishedKidWhenKnownAndUnexpiredThenThatKey() {
        KeyRing ring = KeyRing.of(List.of(current(B, T0.plus(LEAD)), retired(A, T0, T0.plus(LEAD), T0.plus(PERIOD))));

        assertEquals(B, ring.published(B.kid(), T0).orElseThrow(), "before its activation");
        assertEquals(A, ring.published(A.kid(), T0.plus(PERIOD).minusNanos(1)).orElseThrow());
        assertEquals(Optional.empty(), ring.published(A.kid(), T0.plus(PERIOD)), "after its expiry");
        assertEquals(A, ring.key(A.kid()).orElseThrow(), "though still in the ring");
        assertEquals(Optional.empty(), ring.published(C.kid(), T0), "unknown");
        assertEquals(Optional.empty(), ring.published((String) null, T0));
    }

    @Test
    void ofWhenUnorderedThenNewestActivationFirstAndTiesInTheGivenOrder() {
        StoredKey older = current(A, T0);
        StoredKey newer = current(B, T0.plusSeconds(1));
        StoredKey tie = current(C, T0);

        assertEquals(List.of(newer, older, tie), KeyRing.of(List.of(older, newer, tie)).keys());
        assertEquals(List.of(newer, tie, older), KeyRing.of(List.of(tie, older, newer)).keys());
    }

    // Rotation

    @Test
    void rotationWhenBeforeTheDueMomentThenNone() {
        KeyRing ring = KeyRing.of(List.of(current(A, T0), current(RSA, T0)));

        for (SigningAlgorithm algorithm : SigningAlgorithm.values()) {
            assertEquals(Optional.empty(), ring.rotation(T0, POLICY, algorithm));
            assertEquals(Optional.empty(), ring.rotation(DUE.minusNanos(1), POLICY, algorithm));
        }
    }

    @Test
    void rotationWhenExactlyAtTheDueMomentThenNextKeyALeadLaterAndCurrentKeyRetiresThenAndExpiresAfterATokenLife() {
        for (SigningKey key : List.of(A, RSA)) {
            SigningAlgorithm algorithm = key.algorithm();
            SigningKey older = algorithm == ES256 ? C : RSB;
            KeyRing ring = KeyRing.of(List.of(current(key, T0),
                    retired(older, T0.minus(PERIOD), T0, T0.plus(TOKEN_LIFETIME))));

            KeyRing.Rotation rotation = ring.rotation(DUE, POLICY, algorithm).orElseThrow();

            assertEquals(algorithm, rotation.algorithm());
            assertEquals(DUE.plus(LEAD), rotation.activatesAt(), "the next key is published a whole lead first");
            assertEquals(rotation.activatesAt(), rotation.retiresAt(), "the current key stops signing as it starts");
            assertEquals(rotation.retiresAt().plus(TOKEN_LIFETIME).plus(MARGIN), rotation.expiresAt(),
                    "and stays published a token lifetime and the margin longer");
            assertEquals(T0.plus(PERIOD), rotation.activatesAt(), "so the current key signs one whole period");
            assertEquals(List.of(key.kid()), rotation.retiring(), "an already retired key is not retired again");
            assertTrue(ring.rotation(DUE.plus(PERIOD), POLICY, algorithm).isPresent(), "long overdue");
        }
    }

    @Test
    void rotationWhenOneAlgorithmIsDueThenOnlyItsKeysRetireAndTheOtherIsNotDue() {
        KeyRing ring = KeyRing.of(List.of(current(A, T0), current(RSA, T0.plus(Duration.ofDays(10)))));

        KeyRing.Rotation es256 = ring.rotation(DUE, POLICY, ES256).orElseThrow();

        assertEquals(List.of(A.kid()), es256.retiring(), "the RSA key does not retire with the ES256 one");
        assertEquals(Optional.empty(), ring.rotation(DUE, POLICY, RS256), "the RSA key has its own period");
        assertEquals(List.of(RSA.kid()), ring.rotation(DUE.plus(Duration.ofDays(10)), POLICY, RS256).orElseThrow()
                .retiring());
    }

    @Test
    void rotationWhenNextKeyWaitsThenNone() {
        for (SigningKey[] keys : List.of(new SigningKey[] {A, B}, new SigningKey[] {RSA, RSB})) {
            SigningAlgorithm algorithm = keys[0].algorithm();
            Instant next = DUE.plus(LEAD);
            KeyRing ring = KeyRing.of(List.of(current(keys[1], next),
                    retired(keys[0], T0, next, next.plus(TOKEN_LIFETIME))));

            assertEquals(Optional.empty(), ring.rotation(DUE, POLICY, algorithm));
            assertEquals(Optional.empty(), ring.rotation(next.minusNanos(1), POLICY, algorithm));
            assertEquals(Optional.empty(), ring.rotation(next, POLICY, algorithm), "the next key has just started");
            assertTrue(ring.rotation(next.plus(PERIOD).minus(LEAD), POLICY, algorithm).isPresent(), "its own period");
        }
    }

    @Test
    void rotationWhenTheOtherAlgorithmsNextKeyWaitsThenThisOneStillRotates() {
        KeyRing ring = KeyRing.of(List.of(current(RSB, DUE.plus(LEAD)),
                retired(RSA, T0, DUE.plus(LEAD), DUE.plus(LEAD).plus(TOKEN_LIFETIME)), current(A, T0)));

        assertEquals(List.of(A.kid()), ring.rotation(DUE, POLICY, ES256).orElseThrow().retiring());
        assertEquals(Optional.empty(), ring.rotation(DUE, POLICY, RS256));
    }

    @Test
    void rotationWhenPeriodNotLongerThanLeadThenDueAsSoonAsTheNewestKeyActivated() {
        KeyRing.Policy policy = new KeyRing.Policy(LEAD, LEAD.plusHours(1), TOKEN_LIFETIME, MARGIN);
        KeyRing ring = KeyRing.of(List.of(current(A, T0), current(RSA, T0)));

        assertEquals(Duration.ZERO, policy.dueAfter());
        for (SigningAlgorithm algorithm : SigningAlgorithm.values()) {
            assertEquals(Optional.empty(), ring.rotation(T0.minusNanos(1), policy, algorithm), "not before it signs");
            assertEquals(T0.plus(policy.lead()), ring.rotation(T0, policy, algorithm).orElseThrow().activatesAt());
        }
    }

    /**
     * What an instance of the previous version does to the RSA key beside its ES256 one during a rolling upgrade: it
     * retires both with its next ES256 key. With no RSA key left unretired, an RSA rotation is due at once; the
     * retired key signs ID tokens until the new one takes over (O1).
     */
    @Test
    void rotationWhenEveryKeyOfTheAlgorithmIsRetiredThenDueAtOnceRetiringNothing() {
        Instant retires = T0.plus(LEAD);
        KeyRing ring = KeyRing.of(List.of(current(B, retires), retired(A, T0, retires, retires.plus(TOKEN_LIFETIME)),
                retired(RSA, T0, retires, retires.plus(TOKEN_LIFETIME))));

        KeyRing.Rotation rotation = ring.rotation(T0.plusSeconds(1), POLICY, RS256).orElseThrow();

        assertEquals(List.of(), rotation.retiring());
        assertEquals(T0.plusSeconds(1).plus(LEAD), rotation.activatesAt());
        assertEquals(Optional.empty(), ring.rotation(T0.plusSeconds(1), POLICY, ES256), "the ES256 key waits");
    }

    @Test
    void rotationWhenTwoUnretiredKeysOfTheAlgorithmThenDueByTheNewestAndBothRetire() {
        KeyRing ring = KeyRing.of(List.of(current(B, T0), current(A, T0.minusSeconds(60)), current(RSA, T0)));

        assertEquals(Optional.empty(), ring.rotation(DUE.minusNanos(1), POLICY, ES256));
        assertEquals(List.of(B.kid(), A.kid()), ring.rotation(DUE, POLICY, ES256).orElseThrow().retiring());
    }

    @Test
    void rotationWhenUnretiredKeyExpiredThenIgnored() {
        KeyRing ring = KeyRing.of(List.of(new StoredKey(C, T0.minus(PERIOD), null, T0), current(A, T0)));

        assertEquals(Optional.empty(), ring.rotation(T0, POLICY, ES256));
        assertEquals(List.of(A.kid()), ring.rotation(DUE, POLICY, ES256).orElseThrow().retiring());
    }

    @Test
    void rotationWhenNoUnexpiredKeyOfTheAlgorithmThenDueRetiringNothing() {
        KeyRing ring = KeyRing.of(List.of(new StoredKey(RSA, T0.minus(PERIOD), null, T0), current(A, T0)));

        assertEquals(List.of(), ring.rotation(T0, POLICY, RS256).orElseThrow().retiring());
        assertEquals(List.of(), KeyRing.EMPTY.rotation(T0, POLICY, RS256).orElseThrow().retiring());
    }

    // A key the deployment supplies (O2)

    @Test
    void suppliedKeyThenItAloneSignsAndPublishesItsAlgorithmAndNeverRotates() {
        KeyRing ring = KeyRing.supplied(RSA, List.of(current(RSB, T0), current(A, T0)));

        assertEquals(Optional.of(RSA), ring.supplied());
        assertTrue(ring.supplies(RS256));
        assertFalse(ring.supplies(ES256));
        assertEquals(RSA, ring.signing(T0, RS256).orElseThrow(), "a stored RSA key is left out");
        assertEquals(Optional.empty(), ring.published(RSB.kid(), T0));
        assertEquals(List.of(A, RSA), ring.published(T0));
        assertEquals(RSA, ring.published(RSA.kid(), T0).orElseThrow());
        assertEquals(Optional.empty(), ring.rotation(T0, POLICY, RS256));
        assertEquals(Optional.empty(), ring.rotation(Instant.parse("2100-01-01T00:00:00Z"), POLICY, RS256));
        assertTrue(ring.hasUsableKey(Instant.parse("2100-01-01T00:00:00Z"), RS256));
    }

    @Test
    void suppliedKeyThenTheOtherAlgorithmsStoredKeysSignAndRotateAsUsual() {
        KeyRing ring = KeyRing.supplied(RSA, List.of(current(A, T0)));

        assertEquals(A, ring.signing(T0, ES256).orElseThrow());
        assertEquals(List.of(A.kid()), ring.rotation(DUE, POLICY, ES256).orElseThrow().retiring());
        assertEquals(List.of(ES256), KeyRing.supplied(RSA, List.of()).missing(T0), "the other one is made");
        assertEquals(List.of(), ring.missing(T0));
        assertEquals(T0, KeyRing.supplied(RSA, List.of()).firstActivation(T0), "the supplied key does not count");

        KeyRing reread = ring.withStored(List.of(current(B, T0.plus(LEAD)), current(RSB, T0)));
        assertEquals(Optional.of(RSA), reread.supplied(), "a fresh read keeps the supplied key");
        assertEquals(List.of(B, RSA), reread.published(T0));
        assertEquals(KeyRing.of(List.of(current(A, T0))).keys(), KeyRing.EMPTY.withStored(List.of(current(A, T0)))
                .keys());
    }

    @Test
    void emptyRingThenNothingSignsNothingIsPublishedAndEveryAlgorithmMissesItsFirstKey() {
        for (KeyRing ring : List.of(KeyRing.EMPTY, KeyRing.of(List.of()))) {
            assertTrue(ring.isEmpty());
            assertEquals(Optional.empty(), ring.supplied());
            for (SigningAlgorithm algorithm : SigningAlgorithm.values()) {
                assertEquals(Optional.empty(), ring.signing(T0, algorithm));
                assertFalse(ring.hasUsableKey(T0, algorithm));
            }
            assertEquals(List.of(), ring.published(T0));
            assertEquals(Optional.empty(), ring.published(A.kid(), T0));
            assertEquals(List.of(ES256, RS256), ring.missing(T0), "start-up makes the first keys");
            assertEquals(T0, ring.firstActivation(T0), "which sign at once");
        }
    }

    // Start-up

    @Test
    void hasUsableKeyWhenOnlyRetiredOrExpiredKeysThenFalse() {
        assertTrue(KeyRing.of(List.of(current(A, T0.plus(LEAD)))).hasUsableKey(T0, ES256), "a waiting key will sign");
        assertFalse(KeyRing.of(List.of(retired(A, T0, T0.plus(LEAD), T0.plus(PERIOD)))).hasUsableKey(T0, ES256));
        assertFalse(KeyRing.of(List.of(new StoredKey(A, T0, null, T0))).hasUsableKey(T0, ES256), "expired");
        assertFalse(KeyRing.of(List.of(current(A, T0))).hasUsableKey(T0, RS256), "another algorithm's key");
    }

    @Test
    void missingWhenOnlyEs256KeysAsAnEarlierVersionLeftThemThenRs256() {
        KeyRing ring = KeyRing.of(List.of(current(B, T0.plus(LEAD)), retired(A, T0, T0.plus(LEAD), T0.plus(PERIOD))));

        assertEquals(List.of(RS256), ring.missing(T0));
        assertEquals(List.of(ES256), KeyRing.of(List.of(current(RSA, T0))).missing(T0));
        assertEquals(List.of(), KeyRing.of(List.of(current(RSA, T0), current(A, T0))).missing(T0));
        assertEquals(List.of(RS256), KeyRing.of(List.of(current(A, T0),
                retired(RSA, T0, T0.plus(LEAD), T0.plus(PERIOD)))).missing(T0), "a retired key does not count");
    }

    /**
     * A first key made beside keys of the other algorithm activates just before the newest activated key, so that an
     * instance of the previous version (which signs with the newest activated key of any algorithm) keeps signing
     * access tokens with the algorithm it did (O1).
     */
    @Test
    void firstActivationWhenActivatedKeysThenOneSecondBeforeTheNewestActivatedOne() {
        KeyRing ring = KeyRing.of(List.of(current(B, T0.plus(LEAD)), retired(A, T0, T0.plus(LEAD), T0.plus(PERIOD)),
                retired(C, T0.minus(PERIOD), T0, T0.plusSeconds(60))));
        Instant now = T0.plusSeconds(30);

        assertEquals(T0.minusSeconds(1), ring.firstActivation(now), "the next key B has not activated yet");
        assertEquals(T0.plus(LEAD).minusSeconds(1), ring.firstActivation(T0.plus(LEAD)));
        assertEquals(now, KeyRing.of(List.of(current(A, now.plusSeconds(1)))).firstActivation(now), "none activated");
        assertEquals(now, KeyRing.of(List.of(retired(A, T0, T0, now))).firstActivation(now), "none unexpired");

        KeyRing withFirst = KeyRing.of(List.of(current(B, T0.plus(LEAD)), retired(A, T0, T0.plus(LEAD),
                T0.plus(PERIOD)), current(RSA, ring.firstActivation(now))));
        assertEquals(A, withFirst.signing(now, ES256).orElseThrow());
        assertEquals(RSA, withFirst.signing(now, RS256).orElseThrow(), "the first RSA key signs at once");
        assertEquals(A, withFirst.keys().stream().filter(stored -> !stored.activatesAt().isAfter(now))
                .findFirst().orElseThrow().key(), "the newest activated key of any algorithm is still the ES256 one");
    }

    @Test
    void policyWhenNegativeDurationThenRefused() {
        assertThrows(IllegalArgumentException.class, () -> new KeyRing.Policy(PERIOD, LEAD.negated(),
                TOKEN_LIFETIME, MARGIN));
        assertEquals(PERIOD.minus(LEAD), POLICY.dueAfter());
    }

    private static StoredKey current(SigningKey key, Instant activatesAt) {
        return new StoredKey(key, activatesAt, null, null);
    }

    private static StoredKey retired(SigningKey key, Instant activatesAt, Instant retiresAt, Instant expiresAt) {
        return new StoredKey(key, activatesAt, retiresAt, expiresAt);
    }
}
