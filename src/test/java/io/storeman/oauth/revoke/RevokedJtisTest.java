package io.storeman.oauth.revoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The compact table of revoked token ids: exact membership through growth, expiry and concurrent reads. */
class RevokedJtisTest {

    private static final long NOW = 1_800_000_000L;

    @Test
    void containsWhenAddedThroughManyGrowthsThenEveryIdFoundAndNoOther() {
        RevokedJtis jtis = new RevokedJtis();
        List<UUID> added = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            UUID jti = UUID.randomUUID();
            added.add(jti);
            jtis.add(jti, NOW + 7200);
        }

        assertEquals(50_000, jtis.size());
        added.forEach(jti -> assertTrue(jtis.contains(jti, NOW), jti::toString));
        for (int i = 0; i < 50_000; i++) {
            assertFalse(jtis.contains(UUID.randomUUID(), NOW));
        }
    }

    @Test
    void containsWhenIdsShareHalfTheirBitsThenEachTellsApart() {
        RevokedJtis jtis = new RevokedJtis();
        UUID revoked = new UUID(42, 7);
        jtis.add(revoked, NOW + 60);
        jtis.add(new UUID(7, 42), NOW + 60);

        assertTrue(jtis.contains(new UUID(42, 7), NOW));
        assertFalse(jtis.contains(new UUID(42, 8), NOW), "same high bits");
        assertFalse(jtis.contains(new UUID(41, 7), NOW), "same low bits");
        assertFalse(jtis.contains(new UUID(7, 7), NOW));
    }

    @Test
    void removeExpiredWhenSomeExpiredThenOnlyTheLiveStayAndAddingAgainKeepsTheLaterExpiry() {
        RevokedJtis jtis = new RevokedJtis();
        List<UUID> expired = new ArrayList<>();
        List<UUID> live = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            UUID a = UUID.randomUUID();
            UUID b = UUID.randomUUID();
            expired.add(a);
            live.add(b);
            jtis.add(a, NOW - 1 - i % 100);
            jtis.add(b, NOW + i % 100);
        }
        UUID renewed = expired.get(0);
        jtis.add(renewed, NOW + 10);

        jtis.removeExpired(NOW);

        assertEquals(5_001, jtis.size());
        live.forEach(jti -> assertTrue(jtis.contains(jti, NOW)));
        expired.subList(1, expired.size()).forEach(jti -> assertFalse(jtis.contains(jti, NOW)));
        assertTrue(jtis.contains(renewed, NOW), "the later of two expiries counts");

        jtis.removeExpired(NOW + 1_000);
        assertEquals(0, jtis.size());
        assertFalse(jtis.contains(live.get(0), NOW));
    }

    @Test
    void containsWhenExpiredThenGoneAtOnceAndTheTableCompactedAtMostOncePerSpacing() {
        RevokedJtis jtis = new RevokedJtis();
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        UUID live = UUID.randomUUID();
        jtis.add(first, NOW - 1);
        jtis.add(live, NOW + 3600);

        assertFalse(jtis.contains(first, NOW), "an expired entry counts as gone before any compaction");
        assertTrue(jtis.contains(first, NOW - 1), "it was there until its expiry");
        jtis.removeExpired(NOW);
        assertEquals(1, jtis.size());

        jtis.add(second, NOW + 10);
        jtis.removeExpired(NOW + 11);
        assertEquals(2, jtis.size(), "no second rebuild within the spacing");
        assertFalse(jtis.contains(second, NOW + 11));
        jtis.removeExpired(NOW + RevokedJtis.COMPACT_SPACING_SECONDS);
        assertEquals(1, jtis.size());
        assertTrue(jtis.contains(live, NOW + RevokedJtis.COMPACT_SPACING_SECONDS));
    }

    @Test
    void containsWhileAnotherThreadAddsAndPurgesThenAnAddedLiveIdIsNeverMissed() throws Exception {
        RevokedJtis jtis = new RevokedJtis();
        List<UUID> early = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            UUID jti = UUID.randomUUID();
            early.add(jti);
            jtis.add(jti, NOW + 3600);
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            Future<?> writer = threads.submit(() -> {
                for (int i = 0; i < 200_000; i++) {
                    jtis.add(UUID.randomUUID(), i % 2 == 0 ? NOW - 1 : NOW + 3600);
                    if (i % 10_000 == 0) {
                        jtis.removeExpired(NOW + i / 10_000 * RevokedJtis.COMPACT_SPACING_SECONDS);
                    }
                }
                writing.set(false);
            });
            List<Future<Long>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(threads.submit(() -> {
                    long misses = 0;
                    while (writing.get()) {
                        for (UUID jti : early) {
                            misses += jtis.contains(jti, NOW) ? 0 : 1;
                        }
                    }
                    return misses;
                }));
            }
            writer.get(60, TimeUnit.SECONDS);
            for (Future<Long> reader : readers) {
                assertEquals(0L, reader.get(60, TimeUnit.SECONDS), "a revoked id was missed during a write");
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
