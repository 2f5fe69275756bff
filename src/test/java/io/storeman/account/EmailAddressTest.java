package io.storeman.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one e-mail rule: what it accepts, what it refuses, and that no input costs more than its length. */
class EmailAddressTest {

    @ParameterizedTest
    @ValueSource(strings = {"john@example.com", "  John@Example.COM ", "a@b.c", "a.b+tag@mail.example.co.uk",
        "a@.b.c", "ünïcödé@exämple.de", "x@y.z\uD83D\uDCE6"})
    void problemWhenSomethingAtSomethingDotTldThenNone(String email) {
        assertEquals(Optional.empty(), EmailAddress.problem(email));
    }

    @ParameterizedTest
    @ValueSource(strings = {"john", "@example.com", "john@", "john@example", "john@example.", "john@.com",
        "jo hn@example.com", "john@exa mple.com", "two@at@example.com", "nul\u0000@example.com",
        "bell\u0007@example.com", "next\u0085line@example.com", "nbsp\u00a0@example.com", "wide\u3000@example.com",
        "lone\uD800@example.com", "lone\uDC00@example.com", "replaced\uFFFD@example.com", "a@b.c\uD83D"})
    void problemWhenNotAnAddressThenRefused(String email) {
        assertEquals(Optional.of("must be an e-mail address"), EmailAddress.problem(email), email);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jo\u200bhn@example.com", "john@example.com\u200b", "\ufeffjohn@example.com",
        "john\u00ad@example.com", "john@\u202eexample.com", "\u2066john@example.com\u2069",
        "john\u200e@example.com", "john\ufe0f@example.com", "john@exa\u3164mple.com", "john@exam\u2028ple.com",
        "john\ue000@example.com", "john@example.com\udb40\udc01"})
    void problemWhenFormatOrOtherInvisibleCharacterThenRefused(String email) {
        assertEquals(Optional.of("must be an e-mail address"), EmailAddress.problem(email), email);
    }

    @ParameterizedTest
    @ValueSource(strings = {"john@example.com", " John@Example.COM ", "\u00a0john@example.com\u3000",
        "\u202fjohn@example.com\u2007", "\uff2a\uff4f\uff48\uff4e\uff20\uff45xample.com",
        "\ud835\udc23ohn@example.com", "\tjohn@example.com\n"})
    void normalizeWhenSpacesCaseOrCompatibilityFormsDifferThenOneAddress(String email) {
        assertEquals(Optional.empty(), EmailAddress.problem(email));
        assertEquals("john@example.com", EmailAddress.normalize(email));
    }

    @Test
    void problemWhenBlankThenMustNotBeBlank() {
        assertEquals(Optional.of("must not be blank"), EmailAddress.problem(" \t"));
        assertEquals(Optional.of("must not be blank"), EmailAddress.problem(null));
        assertEquals(Optional.of("must not be blank"), EmailAddress.problem("\u00a0\u3000"));
    }

    @Test
    void problemWhenLongerThan254OnceNormalizedThenRefused() {
        String local = "a".repeat(254 - "@example.com".length());
        assertEquals(Optional.empty(), EmailAddress.problem(local + "@example.com"));
        assertEquals(Optional.empty(), EmailAddress.problem("  " + local + "@example.com  "));
        assertEquals(Optional.of("must be at most 254 characters long"),
                EmailAddress.problem("a" + local + "@example.com"));
        // Lower-casing U+0130 gives two characters: 127 of them normalize to 254, with the domain to 259.
        assertEquals(Optional.of("must be at most 254 characters long"),
                EmailAddress.problem("\u0130".repeat(127) + "@x.io"));
    }

    @Test
    void problemWhenHugeCraftedInputThenAnsweredInLinearTime() {
        // Shapes that made the former pattern backtrack: each doubling cost four times the CPU.
        String[] crafted = {"a@" + ".".repeat(1_000_000) + "@", "a@" + "a.".repeat(500_000),
            "@".repeat(1_000_000), "a".repeat(1_000_000) + "@"};
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (String email : crafted) {
                assertTrue(EmailAddress.problem(email).isPresent());
            }
        });
    }
}
