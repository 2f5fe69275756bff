package io.storeman.oauth.authorize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The user codes of the device authorization grant: their alphabet, their draw and how entries are read (G1). */
class UserCodeTest {

    @Test
    void newUserCodeWhenDrawnManyTimesThenEightCharactersOfTheAlphabetEachLetterUsed() {
        Set<Character> seen = new HashSet<>();
        Set<String> codes = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            String code = DeviceAuthorizations.newUserCode();
            assertTrue(code.matches("[BCDFGHJKLMNPQRSTVWXZ]{8}"), code);
            code.chars().forEach(c -> seen.add((char) c));
            codes.add(code);
        }
        assertEquals(20, seen.size(), "every letter of the alphabet occurs");
        assertEquals(2000, codes.size(), "no repeats among 2,000 draws of 2.6 * 10^10");
    }

    @Test
    void alphabetWhenReadThenNoVowelsNoDigitsNoLookAlikes() {
        assertEquals(20, DeviceAuthorizations.ALPHABET.chars().distinct().count());
        for (char c : "AEIOUY0123456789".toCharArray()) {
            assertTrue(DeviceAuthorizations.ALPHABET.indexOf(c) < 0, "not in the alphabet: " + c);
        }
    }

    @Test
    void normalizeWhenCaseDashesOrSpacesDifferThenTheSameCode() {
        assertEquals("BCDFGHJK", DeviceAuthorizations.normalize("BCDF-GHJK"));
        assertEquals("BCDFGHJK", DeviceAuthorizations.normalize("bcdf-ghjk"));
        assertEquals("BCDFGHJK", DeviceAuthorizations.normalize(" bcdfghjk "));
        assertEquals("BCDFGHJK", DeviceAuthorizations.normalize("BC DF-GH JK"));
        assertEquals("BCDF-GHJK", DeviceAuthorizations.display("BCDFGHJK"));
        assertEquals("BCDF-GHJK", DeviceAuthorizations.displayable("bcdfghjk"));
    }

    @Test
    void normalizeWhenNotACodeThenNull() {
        assertNull(DeviceAuthorizations.normalize(null));
        assertNull(DeviceAuthorizations.normalize(""));
        assertNull(DeviceAuthorizations.normalize("BCDF-GHJ"), "seven letters");
        assertNull(DeviceAuthorizations.normalize("BCDF-GHJKL"), "nine letters");
        assertNull(DeviceAuthorizations.normalize("ABCD-EFGH"), "vowels");
        assertNull(DeviceAuthorizations.normalize("BCDF-GHJ1"), "a digit");
        assertNull(DeviceAuthorizations.normalize("BCDF\tGHJK"), "a control character");
        assertNull(DeviceAuthorizations.normalize("-".repeat(33) + "BCDFGHJK"), "too long to read");
        assertEquals("", DeviceAuthorizations.displayable("<script>"));
    }
}
