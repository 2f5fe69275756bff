package io.storeman.account;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PasswordHasherTest {

    @Inject
    PasswordHasher hasher;

    @Test
    void hashWhenVerifiedThenOnlyTheSamePasswordMatches() {
        String hash = hasher.hashNow("correct horse");
        assertTrue(hash.startsWith("$argon2id$v=19$m="), hash);
        assertTrue(hasher.verifyNow("correct horse", hash));
        assertFalse(hasher.verifyNow("correct horsE", hash));
    }

    @Test
    void unknownUserWhenVerifiedThenNeverMatches() {
        assertFalse(hasher.verifyNow("anything", null));
    }

    @Test
    void bouncyCastleHashWhenVerifiedByEitherEngineThenMatches() {
        String hash = PasswordHasher.hashWithBouncyCastle("shared format", 1024, 1, 1);
        assertTrue(hasher.verifyNow("shared format", hash));
        assertTrue(PasswordHasher.verifyWithBouncyCastle("shared format", PasswordHasher.Phc.parse(hash)));
    }

    @Test
    void engineHashWhenVerifiedByBouncyCastleThenMatches() {
        String hash = hasher.hashNow("shared format");
        assertTrue(PasswordHasher.verifyWithBouncyCastle("shared format", PasswordHasher.Phc.parse(hash)));
        assertFalse(PasswordHasher.verifyWithBouncyCastle("other", PasswordHasher.Phc.parse(hash)));
    }

    @Test
    void libsodiumWhenInstalledThenUsed() {
        assertTrue(hasher.usesLibsodium() || !new java.io.File("/lib/x86_64-linux-gnu/libsodium.so.23").exists(),
                "libsodium is installed here but not used");
    }

    @Test
    void malformedStoredHashWhenVerifiedThenNoMatchAndNoError() {
        assertFalse(hasher.verifyNow("x", "$argon2id$v=19$m=zz$bad$bad"));
        assertFalse(hasher.verifyNow("x", "plain"));
    }
}
