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

/** The compact table of revoked family generations: exact entries through growth, expiry and concurrent reads. */
class RevokedFamiliesTest {

    private static final long NOW = 1_800_000_000L;

    private static boolean contains(RevokedFamilies table, UUID family, long now) {
        return table.validFrom(family, now) > 0;
    }

    @Test
    void validFromWhenAddedAgainThenTheHighestBoundAndTheLatestExpiryHold() {
        RevokedFamilies families = new RevokedFamilies();
        UUID family = UUID.randomUUID();
        families.add(family, 3, NOW + 100);
        families.add(family, 2, NOW + 200);

        assertEquals(3, families.validFrom(family, NOW), "a lower bound never lowers the entry");
        assertEquals(3, families.validFrom(family, NOW + 150), "the later expiry holds");
        families.add(family, Integer.MAX_VALUE, NOW + 50);
        assertEquals(Integer.MAX_VALUE, families.validFrom(family, NOW + 199), "the whole family");
        assertEquals(0, families.validFrom(family, NOW + 201), "expired: every generation valid");
        assertEquals(0, families.validFrom(UUID.randomUUID(), NOW), "unknown family");
        assertEquals(1, families.size());
    }

    @Test
    void containsWhenAddedThroughManyGrowthsThenEveryIdFoundAndNoOther() {
        RevokedFamilies jtis = new RevokedFamilies();
        List<UUID> added = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            UUID jti = UUID.randomUUID();
            added.add(jti);
            jtis.add(jti, 1, NOW + 7200);
        }

        assertEquals(50_000, jtis.size());
        added.forEach(jti -> assertTrue(contains(jtis, jti, NOW), jti::toString));
        for (int i = 0; i < 50_000; i++) {
            assertFalse(contains(jtis, UUID.randomUUID(), NOW));
        }
    }

    @Test
    void containsWhenIdsShareHalfTheirBitsThenEachTellsApart() {
        RevokedFamilies jtis = new RevokedFamilies();
        UUID revoked = new UUID(42, 7);
        jtis.add(revoked, 1, NOW + 60);
        jtis.add(new UUID(7, 42), 1, NOW + 60);

        assertTrue(contains(jtis, new UUID(42, 7), NOW));
        assertFalse(contains(jtis, new UUID(42, 8), NOW), "same high bits");
        assertFalse(contains(jtis, new UUID(41, 7), NOW), "same low bits");
        assertFalse(contains(jtis, new UUID(7, 7), NOW));
    }

    @Test
    void removeExpiredWhenSomeExpiredThenOnlyTheLiveStayAndAddingAgainKeepsTheLaterExpiry() {
        RevokedFamilies jtis = new RevokedFamilies();
        List<UUID> expired = new ArrayList<>();
        List<UUID> live = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            UUID a = UUID.randomUUID();
            UUID b = UUID.randomUUID();
            expired.add(a);
            live.add(b);
            jtis.add(a, 1, NOW - 1 - i % 100);
            jtis.add(b, 1, NOW + i % 100);
        }
        UUID renewed = expired.get(0);
        jtis.add(renewed, 1, NOW + 10);

        jtis.removeExpired(NOW);

        assertEquals(5_001, jtis.size());
        live.forEach(jti -> assertTrue(contains(jtis, jti, NOW)));
        expired.subList(1, expired.size()).forEach(jti -> assertFalse(contains(jtis, jti, NOW)));
        assertTrue(contains(jtis, renewed, NOW), "the later of two expiries counts");

        jtis.removeExpired(NOW + 1_000);
        assertEquals(0, jtis.size());
        assertFalse(contains(jtis, live.get(0), NOW));
    }

    @Test
    void containsWhenExpiredThenGoneAtOnceAndTheTableCompactedAtMostOncePerSpacing() {
        RevokedFamilies jtis = new RevokedFamilies();
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        UUID live = UUID.randomUUID();
        jtis.add(first, 1, NOW - 1);
        jtis.add(live, 1, NOW + 3600);

        assertFalse(contains(jtis, first, NOW), "an expired entry counts as gone before any compaction");
        assertTrue(contains(jtis, first, NOW - 1), "it was there until its expiry");
        jtis.removeExpired(NOW);
        assertEquals(1, jtis.size());

        jtis.add(second, 1, NOW + 10);
        jtis.removeExpired(NOW + 11);
        assertEquals(2, jtis.size(), "no second rebuild within the spacing");
        assertFalse(contains(jtis, second, NOW + 11));
        jtis.removeExpired(NOW + RevokedFamilies.COMPACT_SPACING_SECONDS);
        assertEquals(1, jtis.size());
        assertTrue(contains(jtis, live, NOW + RevokedFamilies.COMPACT_SPACING_SECONDS));
    }

    @Test
    void containsWhileAnotherThreadAddsAndPurgesThenAnAddedLiveIdIsNeverMissed() throws Exception {
        RevokedFamilies jtis = new RevokedFamilies();
        List<UUID> early = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            UUID jti = UUID.randomUUID();
            early.add(jti);
            jtis.add(jti, 1, NOW + 3600);
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            Future<?> writer = threads.submit(() -> {
                for (int i = 0; i < 200_000; i++) {
                    jtis.add(UUID.randomUUID(), 1, i % 2 == 0 ? NOW - 1 : NOW + 3600);
                    if (i % 10_000 == 0) {
                        jtis.removeExpired(NOW + i / 10_000 * RevokedFamilies.COMPACT_SPACING_SECONDS);
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
                            misses += contains(jtis, jti, NOW) ? 0 : 1;
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
