package io.storeman.oauth.revoke;

import java.util.UUID;
import java.util.concurrent.locks.StampedLock;

/**
 * The revoked access-token ids (UUIDs, as this server issues them), each with the epoch second its token expires, in
 * one open-addressing table (linear probing) kept at most half full. A slot is three longs side by side (the id's two
 * halves and the expiry, 24 bytes), so an entry takes 48 to 96 bytes where a map of strings took about 135, and a
 * lookup mostly reads one cache line. Every refresh rotation adds an entry, so a busy instance holds hundreds of
 * thousands.
 * <p>
 * Every API call reads it: a read takes no lock unless a write ran meanwhile (then it reads again under the read
 * lock). Writes take turns. An expired entry counts as gone at once; it leaves memory in {@link #removeExpired},
 * which rebuilds the table without the expired entries at most once every {@link #COMPACT_SPACING_SECONDS}: once
 * entries expire all the time, a rebuild at every poll would copy the whole table every second.
 */
final class RevokedJtis {

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

        /** The slot holding the id, or the empty slot where it would go (expiry 0 marks an empty slot). */
        int slot(long high, long low) {
            int i = spread(high ^ low) & mask;
            for (int probes = 0; probes <= mask && expiry(i) != 0; probes++) {
                if (cells[3 * i] == high && cells[3 * i + 1] == low) {
                    return i;
                }
                i = (i + 1) & mask;
            }
            return i;
        }

        long expiry(int slot) {
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

    /** Whether the id is on the list and its entry has not expired by {@code nowEpochSecond}. */
    boolean contains(UUID jti, long nowEpochSecond) {
        long high = jti.getMostSignificantBits();
        long low = jti.getLeastSignificantBits();
        long stamp = lock.tryOptimisticRead();
        long expiry = expiry(table, high, low);
        if (!lock.validate(stamp)) {
            stamp = lock.readLock();
            try {
                expiry = expiry(table, high, low);
            } finally {
                lock.unlockRead(stamp);
            }
        }
        return expiry >= nowEpochSecond;
    }

    /** The id's expiry, or 0 when it is not on the table. */
    private static long expiry(Table t, long high, long low) {
        int i = t.slot(high, low);
        return t.expiry(i) != 0 && t.cells[3 * i] == high && t.cells[3 * i + 1] == low ? t.expiry(i) : 0;
    }

    /** Adds the id, or keeps the later expiry when it is there already. */
    void add(UUID jti, long expiresAtEpochSecond) {
        long stamp = lock.writeLock();
        try {
            if (2 * (size + 1) > table.capacity()) {
                table = copy(table, 2 * table.capacity(), Long.MIN_VALUE);
            }
            put(table, jti.getMostSignificantBits(), jti.getLeastSignificantBits(), Math.max(1, expiresAtEpochSecond));
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
            long expiry = from.expiry(i);
            if (expiry != 0 && expiry >= keepFrom) {
                put(to, from.cells[3 * i], from.cells[3 * i + 1], expiry);
            }
        }
        return to;
    }

    private void put(Table t, long high, long low, long expiry) {
        int i = t.slot(high, low);
        if (t.expiry(i) == 0) {
            t.cells[3 * i] = high;
            t.cells[3 * i + 1] = low;
            size++;
        }
        t.cells[3 * i + 2] = Math.max(t.expiry(i), expiry);
        earliestExpiry = Math.min(earliestExpiry, t.expiry(i));
    }
}
