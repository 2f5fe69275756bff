package io.storeman.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storeman.support.Fixtures;
import org.junit.jupiter.api.Test;

class PasswordPolicyTest {

    private final PasswordPolicy policy = new PasswordPolicy();

    @Test
    void listWhenLoadedThenOneThousandPasswords() {
        assertEquals(1000, policy.size());
    }

    @Test
    void problemWhenCommonInAnyCaseThenRefused() {
        assertTrue(policy.problem("password1").isPresent());
        assertTrue(policy.problem("PassWord1").isPresent());
        assertTrue(policy.problem("qwertyuiop").isPresent());
        assertTrue(policy.problem("1q2w3e4r5t").isPresent());
    }

    @Test
    void problemWhenShortBlankOrHugeThenRefused() {
        assertTrue(policy.problem("seven77").isPresent());
        assertTrue(policy.problem("").isPresent());
        assertTrue(policy.problem(null).isPresent());
        assertTrue(policy.problem("x".repeat(PasswordPolicy.MAX_LENGTH + 1)).isPresent());
    }

    @Test
    void problemWhenLengthThenCountedInCharactersNotUtf16Units() {
        assertFalse(policy.problem("żółwiki!").isPresent(), "eight characters suffice");
        assertTrue(policy.problem("ab\uD83D\uDC22\uD83D\uDC22\uD83D\uDC22").isPresent(),
                "five characters are too few, though eight UTF-16 units");
    }

    @Test
    void problemWhenUncommonAndLongEnoughThenAccepted() {
        assertFalse(policy.problem(Fixtures.PASSWORD).isPresent());
        assertFalse(policy.problem("long enough password").isPresent());
        assertFalse(policy.problem("a brand new passphrase").isPresent());
    }
}
