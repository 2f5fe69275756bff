package io.storeman.account;

import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.storeman.common.StoremanConfig;
import io.storeman.oauth.OAuthMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.WorkerExecutor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes in the PHC string format, so that each hash carries its own parameters and a change of
 * cost applies to new hashes without breaking old ones. libsodium computes them when it is there (twice as fast as
 * pure Java), BouncyCastle otherwise; either verifies the other's hashes.
 * <p>
 * Hashing runs on a pool of its own, one thread per core, never on the event loop; the returned {@link Uni} resumes
 * on the caller's context. A hash keeps a core busy for its whole length: running more at once than there are
 * cores gains nothing, costs 7 MiB of memory each, and leaves the shared worker pool's threads to everything else.
 * Past {@code max-queue} waiting hashes a request fails at once with {@link RejectedExecutionException} (503) rather
 * than queueing without bound.
 */
@ApplicationScoped
public class PasswordHasher {

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

    private static final SecureRandom RANDOM = new SecureRandom();
    private final WorkerExecutor executor;
    private final int maxQueue;
    private final AtomicInteger pending = new AtomicInteger();
    private final StoremanConfig.Password cost;
    private final Timer timer;
    private final Optional<Sodium> sodium;
    /** Checked against when the user does not exist, so that an unknown user costs as much as a wrong password. */
    private final String dummyHash;

    PasswordHasher(Vertx vertx, StoremanConfig config, OAuthMetrics metrics) {
        this.cost = config.password();
        int threads = cost.threads() > 0 ? cost.threads() : Runtime.getRuntime().availableProcessors();
        this.executor = vertx.createSharedWorkerExecutor("argon2", threads);
        this.maxQueue = threads + cost.maxQueue();
        this.timer = metrics.passwordHashTimer();
        this.sodium = cost.useLibsodium() ? Sodium.load() : Optional.empty();
        this.dummyHash = hashNow("dummy password that matches nothing " + RANDOM.nextLong());
    }

    void onStop(@Observes ShutdownEvent event) {
        executor.close().subscribe().with(x -> { }, f -> { });
    }

    public Uni<String> hash(String password) {
        return onHashingPool(() -> hashNow(password));
    }

    /** Checks a password against a stored hash; a null hash (unknown user) costs the same and never matches. */
    public Uni<Boolean> verify(String password, String storedHash) {
        return onHashingPool(() -> verifyNow(password, storedHash));
    }

    private <T> Uni<T> onHashingPool(Supplier<T> work) {
        return Uni.createFrom().deferred(() -> {
            if (pending.incrementAndGet() > maxQueue) {
                pending.decrementAndGet();
                return Uni.createFrom().failure(new RejectedExecutionException("Too many passwords waiting to be hashed"));
            }
            return executor.executeBlocking(Uni.createFrom().item(() -> timer.record(work)), false)
                    .onTermination().invoke(pending::decrementAndGet);
        });
    }

    /** Whether libsodium computes the hashes. */
    public boolean usesLibsodium() {
        return sodium.isPresent();
    }

    String hashNow(String password) {
        if (sodium.isPresent() && cost.parallelism() == 1) {
            return sodium.get().hash(password, cost.memoryKib(), cost.iterations());
        }
        return hashWithBouncyCastle(password, cost.memoryKib(), cost.iterations(), cost.parallelism());
    }

    boolean verifyNow(String password, String storedHash) {
        boolean known = storedHash != null;
        String hash = known ? storedHash : dummyHash;
        Phc phc = Phc.parse(hash);
        if (phc == null) {
            return false;
        }
        boolean valid = sodium.isPresent() && phc.lanes() == 1
                ? sodium.get().verify(password, hash)
                : verifyWithBouncyCastle(password, phc);
        return valid && known;
    }

    static String hashWithBouncyCastle(String password, int memoryKib, int iterations, int lanes) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = derive(password, salt, memoryKib, iterations, lanes, HASH_BYTES);
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + lanes
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    static boolean verifyWithBouncyCastle(String password, Phc phc) {
        byte[] actual = derive(password, phc.salt(), phc.memoryKib(), phc.iterations(), phc.lanes(),
                phc.hash().length);
        return MessageDigest.isEqual(phc.hash(), actual);
    }

    /** The parts of an Argon2id PHC string: {@code $argon2id$v=19$m=..,t=..,p=..$salt$hash}. */
    record Phc(int memoryKib, int iterations, int lanes, byte[] salt, byte[] hash) {

        static Phc parse(String text) {
            String[] parts = text.split("\\$");
            if (parts.length != 6 || !"argon2id".equals(parts[1]) || !"v=19".equals(parts[2])) {
                return null;
            }
            int memory = 0;
            int iterations = 0;
            int lanes = 0;
            try {
                for (String setting : parts[3].split(",")) {
                    int value = Integer.parseInt(setting.substring(2));
                    switch (setting.substring(0, 2)) {
                        case "m=" -> memory = value;
                        case "t=" -> iterations = value;
                        case "p=" -> lanes = value;
                        default -> {
                            return null;
                        }
                    }
                }
                return new Phc(memory, iterations, lanes, B64_DECODER.decode(parts[4]), B64_DECODER.decode(parts[5]));
            } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
                return null;
            }
        }
    }

    private static byte[] derive(String password, byte[] salt, int memoryKib, int iterations, int lanes, int length) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(lanes)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
