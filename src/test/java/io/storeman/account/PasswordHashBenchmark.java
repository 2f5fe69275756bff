package io.storeman.account;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One Argon2id hash at the shipped cost (m = 7168 KiB, t = 5, p = 1), pure Java against libsodium. Part of
 * {@code ./mvnw -q -Pjmh test-compile exec:exec -Djmh.args="-f 1 PasswordHash"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PasswordHashBenchmark {

    private static final String PASSWORD = "correct horse battery staple";
    private Optional<Sodium> sodium;
    private String phc;

    @Setup
    public void setUp() {
        sodium = Sodium.load();
        phc = sodium.map(s -> s.hash(PASSWORD, 7168, 5)).orElse(null);
    }

    @Benchmark
    public boolean bouncyCastleVerify() {
        return PasswordHasher.verifyWithBouncyCastle(PASSWORD, PasswordHasher.Phc.parse(phc));
    }

    @Benchmark
    public boolean libsodiumVerify() {
        return sodium.orElseThrow().verify(PASSWORD, phc);
    }
}
