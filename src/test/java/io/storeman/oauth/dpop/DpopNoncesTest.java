package io.storeman.oauth.dpop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Stateless server nonces (docs/security.md B8): shared across instances, current and previous slot only. */
class DpopNoncesTest {

    private static final Duration LIFETIME = Duration.ofMinutes(5);
    private static final Instant NOW = Instant.parse("2026-12-03T09:00:10Z");
    private static final byte[] KEY = new byte[32];

    static {
        Arrays.fill(KEY, (byte) 7);
    }

    private static DpopNonces at(Instant instant, byte[] key) {
        return new DpopNonces(key, LIFETIME, Clock.fixed(instant, ZoneOffset.UTC));
    }

    @Test
    void nonceWhenMadeByOneInstanceThenAnotherWithTheSameKeyAgreesAndAccepts() {
        DpopNonces one = at(NOW, KEY);
        DpopNonces other = at(NOW, KEY.clone());
        assertEquals(one.current(), other.current());
        assertTrue(other.accepts(one.current()));
        assertEquals(43, one.current().length());
    }

    @Test
    void nonceWhenFromThePreviousSlotThenAcceptedWhenOlderThenRefused() {
        String old = at(NOW, KEY).current();
        assertTrue(at(NOW.plus(LIFETIME), KEY).accepts(old));
        assertNotEquals(old, at(NOW.plus(LIFETIME), KEY).current());
        assertFalse(at(NOW.plus(LIFETIME.multipliedBy(2)), KEY).accepts(old));
    }

    @Test
    void nonceWhenForgedOrUnderAnotherKeyOrTooLongOrMissingThenRefused() {
        DpopNonces nonces = at(NOW, KEY);
        byte[] otherKey = new byte[32];
        assertFalse(nonces.accepts(at(NOW, otherKey).current()));
        String good = nonces.current();
        assertFalse(nonces.accepts(good.substring(1) + (good.charAt(0) == 'A' ? 'B' : 'A')));
        assertFalse(nonces.accepts(good + "x"));
        assertFalse(nonces.accepts(good + "A".repeat(DpopNonces.MAX_NONCE_LENGTH)));
        assertFalse(nonces.accepts(null));
        assertFalse(nonces.accepts(""));
    }

    @Test
    void nonceWhenFromAFutureSlotThenRefused() {
        assertFalse(at(NOW, KEY).accepts(at(NOW.plus(LIFETIME), KEY).current()));
    }
}
