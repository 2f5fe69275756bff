package io.storeman.oauth.revoke;

import java.util.UUID;
import java.util.concurrent.locks.StampedLock;

/**
 * The revoked generations of token families: for each family id (a UUID), the lowest generation still valid (tokens
 * of a lower one are revoked; {@link Integer#MAX_VALUE} revokes the whole family) and the epoch second after which no
 * token it refuses can still be accepted. One entry per family, however often the family rotates (docs/security.md
 * R1).
 * <p>
 * One open-addressing table (linear probing) kept at most half full. A slot is three longs side by side (the id's two
 * halves, then the bound in the high 32 bits and the expiry in the low 32 bits, unsigned), so an entry takes 48 to 96
 * bytes, and a lookup mostly reads one cache line.
 * <p>
 * Every API call reads it: a read takes no lock unless a write ran meanwhile (then it reads again under the read
 * lock). Writes take turns. An expired entry counts as gone at once; it leaves memory in {@link #removeExpired},
 * which rebuilds the table without the expired entries at most once every {@link #COMPACT_SPACING_SECONDS}: once
 * entries expire all the time, a rebuild at every poll would copy the whole table every second.
 */
final class RevokedFamilies {

    private static final int MIN_CAPACITY = 1 << 10;
    static final long COMPACT_SPACING_SECONDS = 60;

    /** The slots of one capacity; replaced whole when the table grows or is rebuilt, only ever added to before. */
    private record Table(long[] cells, int mask) {

        Table(int capacity) {
            this(new long[3 * capacity], capacity - 1);
        }

        int capacity() {
            return mask + 1;
        }

        /** The slot holding the id, or the empty slot where it would go (an empty slot holds 0 as its value). */
        int slot(long high, long low) {
            int i = spread(high ^ low) & mask;
            for (int probes = 0; probes <= mask && value(i) != 0; probes++) {
                if (cells[3 * i] == high && cells[3 * i + 1] == low) {
                    return i;
                }
                i = (i + 1) & mask;
            }
            return i;
        }

        long value(int slot) {
            return cells[3 * slot + 2];
        }

        private static int spread(long bits) {
            long mixed = bits * 0x9E3779B97F4A7C15L;
            return (int) (mixed ^ (mixed >>> 32));
        }
    }

    private final StampedLock lock = new StampedLock();
    private volatile Table table = new Table(MIN_CAPACITY);
    private int size;
    /** The earliest expiry on the table: nothing needs removing before it. */
    private long earliestExpiry = Long.MAX_VALUE;
    private long compactedAt = Long.MIN_VALUE / 2;

    /**
     * The lowest valid generation of the family as of {@code nowEpochSecond}: 0 (every generation valid) when the
     * family is not on the table or its entry has expired.
     */
    int validFrom(UUID family, long nowEpochSecond) {
        long high = family.getMostSignificantBits();
        long low = family.getLeastSignificantBits();
        long stamp = lock.tryOptimisticRead();
        long value = value(table, high, low);
        if (!lock.validate(stamp)) {
            stamp = lock.readLock();
            try {
                value = value(table, high, low);
            } finally {
                lock.unlockRead(stamp);
            }
        }
        return expiry(value) >= nowEpochSecond ? bound(value) : 0;
    }

    /** The packed value of the family's slot, or 0 when it is not on the table. */
    private static long value(Table t, long high, long low) {
        int i = t.slot(high, low);
        return t.value(i) != 0 && t.cells[3 * i] == high && t.cells[3 * i + 1] == low ? t.value(i) : 0;
    }

    /**
     * Revokes the family's generations below {@code bound} until {@code expiresAtEpochSecond}; an entry already
     * there keeps the higher bound and the later expiry of the two.
     */
    void add(UUID family, int bound, long expiresAtEpochSecond) {
        long stamp = lock.writeLock();
        try {
            if (2 * (size + 1) > table.capacity()) {
                table = copy(table, 2 * table.capacity(), Long.MIN_VALUE);
            }
            put(table, family.getMostSignificantBits(), family.getLeastSignificantBits(),
                    pack(Math.max(1, bound), Math.max(1, expiresAtEpochSecond)));
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /**
     * Drops the entries expired by {@code nowEpochSecond}: a rebuild, once the earliest entry has expired and the
     * previous rebuild is {@link #COMPACT_SPACING_SECONDS} old.
     */
    void removeExpired(long nowEpochSecond) {
        long stamp = lock.writeLock();
        try {
            if (earliestExpiry >= nowEpochSecond || nowEpochSecond < compactedAt + COMPACT_SPACING_SECONDS) {
                return;
            }
            compactedAt = nowEpochSecond;
            int capacity = MIN_CAPACITY;
            while (capacity < 2 * size + 2) {
                capacity *= 2;
            }
            table = copy(table, capacity, nowEpochSecond);
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    int size() {
        return size;
    }

    /** A new table of {@code capacity} with the entries of {@code from} that expire at or after {@code keepFrom}. */
    private Table copy(Table from, int capacity, long keepFrom) {
        Table to = new Table(capacity);
        size = 0;
        earliestExpiry = Long.MAX_VALUE;
        for (int i = 0; i < from.capacity(); i++) {
            long value = from.value(i);
            if (value != 0 && expiry(value) >= keepFrom) {
                put(to, from.cells[3 * i], from.cells[3 * i + 1], value);
            }
        }
        return to;
    }

    private void put(Table t, long high, long low, long value) {
        int i = t.slot(high, low);
        long old = t.value(i);
        if (old == 0) {
            t.cells[3 * i] = high;
            t.cells[3 * i + 1] = low;
            size++;
        }
        long merged = pack(Math.max(bound(old), bound(value)), Math.max(expiry(old), expiry(value)));
        t.cells[3 * i + 2] = merged;
        earliestExpiry = Math.min(earliestExpiry, expiry(merged));
    }

    private static long pack(int bound, long expiry) {
        return ((long) bound << 32) | (expiry & 0xFFFF_FFFFL);
    }

    private static int bound(long value) {
        return (int) (value >>> 32);
    }

    private static long expiry(long value) {
        return value & 0xFFFF_FFFFL;
    }
}
