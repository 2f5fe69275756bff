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
 * The rules of the key ring, without a database or a server: which key signs, which are published, which one a kid
 * names, and when a rotation is due and what it plans.
 */
class KeyRingTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final Duration PERIOD = Duration.ofDays(30);
    private static final Duration LEAD = Duration.ofHours(1);
    private static final Duration TOKEN_LIFETIME = Duration.ofHours(2);
    private static final Duration MARGIN = Duration.ofMinutes(10);
    private static final KeyRing.Policy ES256_POLICY =
            new KeyRing.Policy(PERIOD, LEAD, TOKEN_LIFETIME, MARGIN, SigningAlgorithm.ES256);
    /** When a key activated at the tests' origin becomes due: {@code period - lead} later. */
    private static final Instant DUE = T0.plus(PERIOD).minus(LEAD);

    private static final SigningKey A = SigningAlgorithm.ES256.newKey(2048);
    private static final SigningKey B = SigningAlgorithm.ES256.newKey(2048);
    private static final SigningKey C = SigningAlgorithm.ES256.newKey(2048);
    private static final SigningKey RSA = SigningAlgorithm.RS256.newKey(2048);

    // Signing

    @Test
    void signingWhenSeveralActivatedThenTheNewest() {
        KeyRing ring = KeyRing.of(List.of(retired(A, T0.minus(PERIOD), T0, T0.plus(TOKEN_LIFETIME)), current(B, T0)));

        assertEquals(B, ring.signing(T0.plusSeconds(1)).orElseThrow());
    }

    @Test
    void signingWhenNextKeyBeforeItsActivationThenTheCurrentOne() {
        Instant next = T0.plus(PERIOD);
        KeyRing ring = KeyRing.of(List.of(current(B, next), retired(A, T0, next, next.plus(TOKEN_LIFETIME))));

        assertEquals(A, ring.signing(next.minusNanos(1)).orElseThrow(), "just before its activation");
        assertEquals(B, ring.signing(next).orElseThrow(), "exactly at its activation");
        assertEquals(B, ring.signing(next.plusSeconds(1)).orElseThrow());
    }

    @Test
    void signingWhenNoKeyActivatedYetThenTheFirstToActivate() {
        KeyRing ring = KeyRing.of(List.of(current(B, T0.plusSeconds(20)), current(A, T0.plusSeconds(10))));

        assertEquals(A, ring.signing(T0).orElseThrow(), "a clock behind the database's still signs");
    }

    @Test
    void signingWhenNewestActivatedKeyExpiredThenTheNextUnexpired() {
        KeyRing ring = KeyRing.of(List.of(retired(B, T0, T0.plusSeconds(5), T0.plusSeconds(10)),
                current(A, T0.minusSeconds(60))));

        assertEquals(B, ring.signing(T0.plusSeconds(9)).orElseThrow());
        assertEquals(A, ring.signing(T0.plusSeconds(10)).orElseThrow(), "an expired key never signs");
    }

    @Test
    void signingWhenEveryKeyExpiredThenNone() {
        KeyRing ring = KeyRing.of(List.of(retired(A, T0, T0.plusSeconds(1), T0.plusSeconds(2))));

        assertEquals(Optional.empty(), ring.signing(T0.plusSeconds(2)));
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
        KeyRing ring = KeyRing.of(List.of(current(A, T0)));

        assertEquals(Optional.empty(), ring.rotation(T0, ES256_POLICY));
        assertEquals(Optional.empty(), ring.rotation(DUE.minusNanos(1), ES256_POLICY));
    }

    @Test
    void rotationWhenExactlyAtTheDueMomentThenNextKeyALeadLaterAndCurrentKeyRetiresThenAndExpiresAfterATokenLife() {
        KeyRing ring = KeyRing.of(List.of(current(A, T0), retired(C, T0.minus(PERIOD), T0, T0.plus(TOKEN_LIFETIME))));

        KeyRing.Rotation rotation = ring.rotation(DUE, ES256_POLICY).orElseThrow();

        assertEquals(DUE.plus(LEAD), rotation.activatesAt(), "the next key is published a whole lead before it signs");
        assertEquals(rotation.activatesAt(), rotation.retiresAt(), "the current key stops signing as it starts");
        assertEquals(rotation.retiresAt().plus(TOKEN_LIFETIME).plus(MARGIN), rotation.expiresAt(),
                "and stays published a token lifetime and the margin longer");
        assertEquals(T0.plus(PERIOD), rotation.activatesAt(), "so the current key signs one whole period");
        assertEquals(List.of(A.kid()), rotation.retiring(), "an already retired key is not retired again");
        assertTrue(ring.rotation(DUE.plus(PERIOD), ES256_POLICY).isPresent(), "long overdue");
    }

    @Test
    void rotationWhenNextKeyWaitsThenNone() {
        Instant next = DUE.plus(LEAD);
        KeyRing ring = KeyRing.of(List.of(current(B, next), retired(A, T0, next, next.plus(TOKEN_LIFETIME))));

        assertEquals(Optional.empty(), ring.rotation(DUE, ES256_POLICY));
        assertEquals(Optional.empty(), ring.rotation(next.minusNanos(1), ES256_POLICY));
        assertEquals(Optional.empty(), ring.rotation(next, ES256_POLICY), "the next key has just started signing");
        assertTrue(ring.rotation(next.plus(PERIOD).minus(LEAD), ES256_POLICY).isPresent(), "its own period");
    }

    @Test
    void rotationWhenPeriodNotLongerThanLeadThenDueAsSoonAsTheNewestKeyActivated() {
        KeyRing.Policy policy = new KeyRing.Policy(LEAD, LEAD.plusHours(1), TOKEN_LIFETIME, MARGIN,
                SigningAlgorithm.ES256);
        KeyRing ring = KeyRing.of(List.of(current(A, T0)));

        assertEquals(Duration.ZERO, policy.dueAfter());
        assertEquals(Optional.empty(), ring.rotation(T0.minusNanos(1), policy), "not before it activates");
        assertEquals(T0.plus(policy.lead()), ring.rotation(T0, policy).orElseThrow().activatesAt());
    }

    @Test
    void rotationWhenSigningKeyOfAnotherAlgorithmThanConfiguredThenDueAtOnce() {
        KeyRing ring = KeyRing.of(List.of(current(RSA, T0)));

        KeyRing.Rotation rotation = ring.rotation(T0, ES256_POLICY).orElseThrow();

        assertEquals(T0.plus(LEAD), rotation.activatesAt(), "the new algorithm's key is published a lead first");
        assertEquals(List.of(RSA.kid()), rotation.retiring());
        assertEquals(Optional.empty(), KeyRing.of(List.of(current(RSA, T0))).rotation(T0,
                new KeyRing.Policy(PERIOD, LEAD, TOKEN_LIFETIME, MARGIN, SigningAlgorithm.RS256)),
                "not when RS256 is the configured algorithm");
    }

    @Test
    void rotationWhenAlgorithmSwitchUnderwayThenNoneUntilTheNewKeysPeriodEnds() {
        Instant next = T0.plus(LEAD);
        KeyRing ring = KeyRing.of(List.of(current(A, next), retired(RSA, T0, next, next.plus(TOKEN_LIFETIME))));

        assertEquals(Optional.empty(), ring.rotation(T0, ES256_POLICY), "the ES256 key waits");
        assertEquals(Optional.empty(), ring.rotation(next, ES256_POLICY), "the retired RSA key does not count");
        assertEquals(Optional.empty(), ring.rotation(next.plus(PERIOD).minus(LEAD).minusNanos(1), ES256_POLICY));
        assertTrue(ring.rotation(next.plus(PERIOD).minus(LEAD), ES256_POLICY).isPresent());
    }

    @Test
    void rotationWhenAnotherUnretiredKeyOfAnotherAlgorithmThenDueAndBothRetire() {
        KeyRing ring = KeyRing.of(List.of(current(RSA, T0), current(A, T0.minusSeconds(60))));

        assertEquals(List.of(RSA.kid(), A.kid()), ring.rotation(T0, ES256_POLICY).orElseThrow().retiring());
    }

    @Test
    void rotationWhenUnretiredKeyExpiredThenIgnored() {
        KeyRing ring = KeyRing.of(List.of(new StoredKey(RSA, T0.minus(PERIOD), null, T0), current(A, T0)));

        assertEquals(Optional.empty(), ring.rotation(T0, ES256_POLICY));
        assertEquals(List.of(A.kid()), ring.rotation(DUE, ES256_POLICY).orElseThrow().retiring());
    }

    @Test
    void rotationWhenSuppliedKeyThenNeverEvenOfAnotherAlgorithm() {
        KeyRing ring = KeyRing.supplied(RSA);

        assertTrue(ring.isSupplied());
        assertEquals(Optional.empty(), ring.rotation(T0, ES256_POLICY));
        assertEquals(Optional.empty(), ring.rotation(Instant.parse("2100-01-01T00:00:00Z"), ES256_POLICY));
        assertEquals(RSA, ring.signing(T0).orElseThrow());
        assertEquals(List.of(RSA), ring.published(T0));
        assertEquals(RSA, ring.published(RSA.kid(), T0).orElseThrow());
        assertTrue(ring.hasUsableKey(T0));
    }

    @Test
    void emptyRingThenNothingSignsNothingIsPublishedAndNoRotationIsDue() {
        for (KeyRing ring : List.of(KeyRing.EMPTY, KeyRing.of(List.of()))) {
            assertTrue(ring.isEmpty());
            assertFalse(ring.isSupplied());
            assertEquals(Optional.empty(), ring.signing(T0));
            assertEquals(List.of(), ring.published(T0));
            assertEquals(Optional.empty(), ring.published(A.kid(), T0));
            assertEquals(Optional.empty(), ring.rotation(T0, ES256_POLICY));
            assertFalse(ring.hasUsableKey(T0), "start-up makes the first key");
        }
    }

    // Start-up

    @Test
    void hasUsableKeyWhenOnlyRetiredOrExpiredKeysThenFalse() {
        assertTrue(KeyRing.of(List.of(current(A, T0.plus(LEAD)))).hasUsableKey(T0), "a waiting key will sign");
        assertFalse(KeyRing.of(List.of(retired(A, T0, T0.plus(LEAD), T0.plus(PERIOD)))).hasUsableKey(T0));
        assertFalse(KeyRing.of(List.of(new StoredKey(A, T0, null, T0))).hasUsableKey(T0), "expired");
    }

    @Test
    void policyWhenNegativeDurationThenRefused() {
        assertThrows(IllegalArgumentException.class, () -> new KeyRing.Policy(PERIOD, LEAD.negated(),
                TOKEN_LIFETIME, MARGIN, SigningAlgorithm.ES256));
        assertEquals(PERIOD.minus(LEAD), ES256_POLICY.dueAfter());
    }

    private static StoredKey current(SigningKey key, Instant activatesAt) {
        return new StoredKey(key, activatesAt, null, null);
    }

    private static StoredKey retired(SigningKey key, Instant activatesAt, Instant retiresAt, Instant expiresAt) {
        return new StoredKey(key, activatesAt, retiresAt, expiresAt);
    }
}
