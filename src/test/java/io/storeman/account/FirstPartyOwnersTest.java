package io.storeman.account;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The first-party list compares stored e-mails with the listed ones in the same normalised form (D9, P3). */
class FirstPartyOwnersTest {

    @Test
    void includesWhenListedWithCaseAndSpacesThenItsStoredFormMatches() {
        FirstPartyOwners owners = new FirstPartyOwners(List.of(" Owner@Example.COM\u00a0", "\uff2fther@example.com"));

        assertTrue(owners.includes("owner@example.com"));
        assertTrue(owners.includes("other@example.com"));
        assertTrue(owners.includes(EmailAddress.normalize("\u3000OWNER@example.com")));
    }

    @Test
    void includesWhenNotInStoredFormThenFalse() {
        FirstPartyOwners owners = new FirstPartyOwners(List.of("owner@example.com"));

        // An account stored before normalisation under a look-alike is not the listed one.
        assertFalse(owners.includes("\uff4fwner@example.com"));
        assertFalse(owners.includes("Owner@example.com"));
        assertFalse(owners.includes("someone@example.com"));
    }
}
