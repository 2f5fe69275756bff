package io.storeman.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one normalisation and the one visibility rule of names and e-mails (docs/security.md P3, P4). */
class TextInputTest {

    @ParameterizedTest
    @ValueSource(strings = {" ", "\t", "\n", "\u00a0", "\u2007", "\u202f", "\u3000", "\u2028", "\u2029", "\u1680",
        "\u205f", "\u001c"})
    void isWhitespaceWhenJavaOrUnicodeSpaceThenTrue(String space) {
        assertTrue(TextInput.isWhitespace(space.codePointAt(0)), () -> hex(space));
        assertTrue(TextInput.isBlank("  " + space + " "), () -> hex(space));
        assertEquals("x y", TextInput.strip(space + "x y" + space), () -> hex(space));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u200b", "\ufeff", "\u200d", "a", "\u0000", "\u0085"})
    void isWhitespaceWhenInvisibleButNoSpaceThenFalse(String character) {
        assertFalse(TextInput.isWhitespace(character.codePointAt(0)), () -> hex(character));
        assertFalse(TextInput.isBlank(character), () -> hex(character));
    }

    @Test
    void isBlankWhenNullOrEmptyThenTrue() {
        assertTrue(TextInput.isBlank(null));
        assertTrue(TextInput.isBlank(""));
    }

    @Test
    void normalizeWhenCompatibilityLookAlikesThenTheCharactersTheyLookLike() {
        assertEquals("John@example.com", TextInput.normalize("\uff2aohn\uff20example.com"), "fullwidth");
        assertEquals("file sync", TextInput.normalize("\ufb01le\u00a0sync"), "ligature, no-break space");
        assertEquals("A", TextInput.normalize("\ud835\udc00"), "mathematical bold capital A");
        assertEquals("caf\u00e9", TextInput.normalize("cafe\u0301"), "combining accent composed");
        assertEquals("Photo Shelf", TextInput.normalize("\u3000\u00a0Photo\u2007Shelf\u202f\n"));
    }

    @Test
    void normalizeWhenAppliedTwiceThenNothingChanges() {
        for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
            if (!Character.isDefined(codePoint)) {
                continue; // NFKC leaves an unassigned code point as it is
            }
            String text = " a" + Character.toString(codePoint) + "b ";
            String once = TextInput.normalize(text);
            assertEquals(once, TextInput.normalize(once), () -> hex(text));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Photo Shelf", "caf\u00e9 \u20ac", "\u05e9\u05dc\u05d5\u05dd", "\u0645\u0631\u062d\u0628\u0627",
        "\u65e5\u672c\u8a9e", "\ud83d\udce6 Storage", "x@y.z"})
    void isVisibleWhenLettersMarksSymbolsAndSpacesThenTrue(String text) {
        assertTrue(TextInput.isVisible(text), () -> hex(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\u0000", "\u0007", "\t", "\n", "\u007f", "\u0085", // Cc
        "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", // bidi marks and embeddings (Cf)
        "\u2066", "\u2067", "\u2068", "\u2069", "\u061c", // bidi isolates, Arabic letter mark (Cf)
        "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e", // zero-width, soft hyphen (Cf)
        "\udb40\udc01", "\udb40\udc41", // language tag, tag letter A (Cf)
        "\u2028", "\u2029", // line and paragraph separators
        "\ue000", "\udbff\udffd", // private use
        "\ufdd0", "\uffff", "\u0378", // noncharacters, unassigned
        "\ud800", "\udc00", // unpaired surrogates
        "\u034f", "\u115f", "\u1160", "\u3164", "\uffa0", "\u17b4", "\u180b", "\ufe0f", "\udb40\udd00", "\u2800"})
    void isVisibleWhenControlFormatSeparatorUnassignedOrIgnorableThenFalse(String character) {
        assertFalse(TextInput.isVisible("name" + character + "name"), () -> hex(character));
    }

    private static String hex(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(codePoint -> out.append(String.format("U+%04X ", codePoint)));
        return out.toString().strip();
    }
}
