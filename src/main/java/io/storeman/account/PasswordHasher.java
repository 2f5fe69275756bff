package io.storeman.account;

import io.smallrye.mutiny.Uni;
import io.storeman.common.StoremanConfig;
import io.storeman.oauth.OAuthMetrics;
import io.micrometer.core.instrument.Timer;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes (BouncyCastle), in the PHC string format so that each hash carries its own parameters
 * and a change of cost applies to new hashes without breaking old ones. Hashing runs on a worker thread, never on
 * the event loop; the returned {@link Uni} resumes on the caller's context.
 */
@ApplicationScoped
public class PasswordHasher {

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

    private final SecureRandom random = new SecureRandom();
    private final Vertx vertx;
    private final StoremanConfig.Password cost;
    private final Timer timer;
    /** Checked against when the user does not exist, so that an unknown user costs as much as a wrong password. */
    private final String dummyHash;

    PasswordHasher(Vertx vertx, StoremanConfig config, OAuthMetrics metrics) {
        this.vertx = vertx;
        this.cost = config.password();
        this.timer = metrics.passwordHashTimer();
        this.dummyHash = hashNow("dummy password that matches nothing " + random.nextLong());
    }

    public Uni<String> hash(String password) {
        return vertx.executeBlocking(Uni.createFrom().item(() -> timer.record(() -> hashNow(password))), false);
    }

    /** Checks a password against a stored hash; a null hash (unknown user) costs the same and never matches. */
    public Uni<Boolean> verify(String password, String storedHash) {
        return vertx.executeBlocking(Uni.createFrom().item(() -> timer.record(() -> verifyNow(password, storedHash))),
                false);
    }

    String hashNow(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        Argon2Parameters parameters = parameters(salt, cost.memoryKib(), cost.iterations(), cost.parallelism());
        byte[] hash = derive(password, parameters, HASH_BYTES);
        return "$argon2id$v=19$m=" + cost.memoryKib() + ",t=" + cost.iterations() + ",p=" + cost.parallelism()
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    boolean verifyNow(String password, String storedHash) {
        boolean known = storedHash != null;
        String[] parts = (known ? storedHash : dummyHash).split("\\$");
        // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
        if (parts.length != 6 || !"argon2id".equals(parts[1])) {
            return false;
        }
        int memory = 0;
        int iterations = 0;
        int lanes = 0;
        for (String setting : parts[3].split(",")) {
            int value = Integer.parseInt(setting.substring(2));
            switch (setting.charAt(0)) {
                case 'm' -> memory = value;
                case 't' -> iterations = value;
                case 'p' -> lanes = value;
                default -> {
                    return false;
                }
            }
        }
        byte[] expected = B64_DECODER.decode(parts[5]);
        byte[] actual = derive(password, parameters(B64_DECODER.decode(parts[4]), memory, iterations, lanes),
                expected.length);
        return MessageDigest.isEqual(expected, actual) && known;
    }

    private static Argon2Parameters parameters(byte[] salt, int memoryKib, int iterations, int lanes) {
        return new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(lanes)
                .build();
    }

    private static byte[] derive(String password, Argon2Parameters parameters, int length) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
