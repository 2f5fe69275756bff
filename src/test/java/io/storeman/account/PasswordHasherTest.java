package io.storeman.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.storeman.common.Failures;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
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

    @Test
    void hashesWhenMoreWaitThanTheQueueHoldsThenTheRestAreRefusedAtOnceAndThePoolRecovers() throws Exception {
        String hash = hasher.hashNow("queued");
        int submitted = 2_000;
        List<CompletableFuture<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < submitted; i++) {
            results.add(hasher.verify("queued", hash).subscribeAsCompletionStage());
        }
        int refused = 0;
        int matched = 0;
        for (CompletableFuture<Boolean> result : results) {
            try {
                matched += result.get(60, TimeUnit.SECONDS) ? 1 : 0;
            } catch (ExecutionException e) {
                assertInstanceOf(RejectedExecutionException.class, e.getCause());
                assertTrue(Failures.isUnavailable(e.getCause()), "a refused hash must answer 503");
                refused++;
            }
        }
        assertTrue(refused > 0, "nothing was refused");
        assertEquals(submitted, refused + matched, "a hash that ran must match");
        assertTrue(hasher.verify("queued", hash).await().atMost(Duration.ofSeconds(10)));
    }
}
