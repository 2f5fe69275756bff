package io.storeman.account;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The password-hash limit of this machine: Argon2id verifications per second on all cores, with the shipped
 * parameters and engine (libsodium when present). bench/run.sh compares the password grant's rate with it.
 * Arguments: memory KiB, iterations, seconds.
 */
public final class HashRate {

    private HashRate() {
    }

    public static void main(String[] args) throws Exception {
        int memoryKib = Integer.parseInt(args[0]);
        int iterations = Integer.parseInt(args[1]);
        long seconds = Long.parseLong(args[2]);
        Optional<Sodium> sodium = Sodium.load();
        String password = "correct horse battery staple";
        String phc = sodium.isPresent()
                ? sodium.get().hash(password, memoryKib, iterations)
                : PasswordHasher.hashWithBouncyCastle(password, memoryKib, iterations, 1);
        PasswordHasher.Phc parsed = PasswordHasher.Phc.parse(phc);
        int threads = Runtime.getRuntime().availableProcessors();
        AtomicLong done = new AtomicLong();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        Thread[] workers = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = new Thread(() -> {
                while (System.nanoTime() < deadline) {
                    boolean ok = sodium.isPresent()
                            ? sodium.get().verify(password, phc)
                            : PasswordHasher.verifyWithBouncyCastle(password, parsed);
                    if (ok) {
                        done.incrementAndGet();
                    }
                }
            });
            workers[i].start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        System.out.printf("%s %d %.1f%n", sodium.isPresent() ? "libsodium" : "bouncycastle", threads,
                done.get() / (double) seconds);
    }
}
