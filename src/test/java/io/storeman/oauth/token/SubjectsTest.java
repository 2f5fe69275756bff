package io.storeman.oauth.token;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.storeman.application.OAuthApplication;
import io.storeman.common.ServerSecrets;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The {@code sub} each client sees (docs/security.md O11), and the shared secret behind pairwise ones. */
@QuarkusTest
class SubjectsTest {

    @Inject
    Subjects subjects;

    @Inject
    ServerSecrets secrets;

    @Test
    void publicClientWhenAskedThenSubIsTheUserIdAsAccessTokensCarryIt() {
        assertEquals("42", subjects.subject(client("public", "https://one.example/cb"), 42));
    }

    @Test
    void pairwiseClientsWhenOfTwoHostsThenSubsDifferAndNeitherIsTheUserId() {
        String one = subjects.subject(client("pairwise", "https://one.example/cb"), 42);
        String two = subjects.subject(client("pairwise", "https://two.example/cb"), 42);
        assertNotEquals(one, two, "two sectors cannot correlate the user by sub");
        assertNotEquals("42", one);
        assertTrue(one.matches("[A-Za-z0-9_-]{43}"), one);
    }

    @Test
    void pairwiseClientsWhenOfOneHostThenSubIsStableAndShared() {
        String first = subjects.subject(client("pairwise", "https://one.example/cb"), 42);
        assertEquals(first, subjects.subject(client("pairwise", "https://ONE.example/other?x=1"), 42),
                "the sector is the host, case-insensitive; path and query do not matter");
        assertNotEquals(first, subjects.subject(client("pairwise", "https://one.example/cb"), 43));
    }

    @Test
    void pairwiseClientWhenWithoutRedirectUriThenRefusedRatherThanGuessed() {
        assertThrows(IllegalStateException.class, () -> subjects.subject(client("pairwise", null), 42));
    }

    @Test
    void serverSecretWhenAskedTwiceThenTheSameBitsAndNewNamesGetTheirOwn() {
        String name = "test_" + System.nanoTime();
        byte[] first = secrets.get(name).await().atMost(Duration.ofSeconds(10));
        byte[] again = secrets.get(name).await().atMost(Duration.ofSeconds(10));
        assertEquals(32, first.length);
        assertArrayEquals(first, again, "every later read sees the stored secret");
        byte[] other = secrets.get(name + "_other").await().atMost(Duration.ofSeconds(10));
        assertTrue(other.length == 32 && !Arrays.equals(first, other));
    }

    private static OAuthApplication client(String subjectType, String redirectUri) {
        OAuthApplication client = new OAuthApplication();
        client.clientId = "client";
        client.subjectType = subjectType;
        client.redirectUri = redirectUri;
        return client;
    }
}
