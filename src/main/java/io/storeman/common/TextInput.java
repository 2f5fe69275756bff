package io.storeman.common;

import java.text.Normalizer;

/**
 * The one check of text a client sends before it is looked up, stored or hashed: within its bound, and made of
 * characters PostgreSQL and UTF-8 can carry as they are. Control characters (U+0000 to U+001F, U+007F to U+009F;
 * PostgreSQL refuses U+0000 outright) are refused, and so are unpaired UTF-16 surrogates, which a JSON escape such as
 * {@code "\ud800"} can produce and which UTF-8 encoding would silently turn into {@code ?}. One pass over the text;
 * callers bound its length first.
 * <p>
 * Text that names someone or something to another person (an e-mail, an application's name) is also normalised
 * here, once, and must be {@linkplain #isVisible visible} (P3, P4): what one person sees is then what the server
 * compares, and nothing hidden can disguise it.
 */
public final class TextInput {

    /** An e-mail address (RFC 5321 §4.5.3.1.3: a path holds at most 254 characters). Limit L2. */
    public static final int MAX_EMAIL_LENGTH = 254;
    /** A password, in UTF-16 code units (at most 3 KiB of UTF-8), checked before it is hashed. Limit L3. */
    public static final int MAX_PASSWORD_LENGTH = 1024;
    /** A client id looked up in the database or the client cache; ours are 43 characters. Limit L4. */
    public static final int MAX_CLIENT_ID_LENGTH = 128;

    private TextInput() {
    }

    /**
     * The one definition of whitespace: Java's ({@link Character#isWhitespace}: the ASCII ones and the Unicode
     * separators that are not non-breaking) and Unicode's space separators ({@link Character#isSpaceChar}, which
     * adds the non-breaking ones). {@link String#strip} and {@link String#isBlank} miss U+00A0, U+2007 and U+202F,
     * {@link String#trim} every non-ASCII space.
     */
    public static boolean isWhitespace(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
    }

    /** Whether the text is null or only {@linkplain #isWhitespace whitespace}. */
    public static boolean isBlank(String text) {
        return text == null || text.codePoints().allMatch(TextInput::isWhitespace);
    }

    /** The text without leading and trailing {@linkplain #isWhitespace whitespace}. */
    public static String strip(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isWhitespace(text.codePointAt(start))) {
            start += Character.charCount(text.codePointAt(start));
        }
        while (end > start && isWhitespace(text.codePointBefore(end))) {
            end -= Character.charCount(text.codePointBefore(end));
        }
        return text.substring(start, end);
    }

    /**
     * The form in which text is stored and compared (P3): Unicode NFKC, so that fullwidth letters, ligatures and
     * the other compatibility look-alikes become the characters they look like and the non-ASCII spaces become
     * U+0020, then {@linkplain #strip stripped}. Applying it twice changes nothing. NFKC can make text up to 18
     * times longer: callers bound the length first.
     */
    public static String normalize(String text) {
        return strip(Normalizer.normalize(text, Normalizer.Form.NFKC));
    }

    /**
     * Whether single-line text shows every character it holds (P4), as RFC 8264's PRECIS classes require of names:
     * no control character (Cc), no format character (Cf: the bidirectional controls U+200E, U+200F, U+202A to
     * U+202E and U+2066 to U+2069 that reorder what is shown, the zero-width characters, the soft hyphen, tags), no
     * line or paragraph separator, private-use, unassigned or broken (unpaired surrogate) code point, and none of the
     * other default-ignorable code points that render as nothing (see {@link #isIgnorable}). Spaces are visible.
     */
    public static boolean isVisible(String text) {
        return text.codePoints().allMatch(TextInput::isVisible);
    }

    private static boolean isVisible(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.PRIVATE_USE, Character.UNASSIGNED, Character.SURROGATE -> false;
            default -> !isIgnorable(codePoint);
        };
    }

    /**
     * Unicode's default-ignorable code points outside the categories {@link #isVisible} refuses as a whole
     * (DerivedCoreProperties.txt): the combining grapheme joiner, the Hangul fillers, the Khmer inherent vowels, the
     * Mongolian free variation selectors and the variation selectors; plus U+2800, the blank Braille pattern.
     */
    private static boolean isIgnorable(int codePoint) {
        return codePoint == 0x034F || codePoint == 0x115F || codePoint == 0x1160 || codePoint == 0x17B4
                || codePoint == 0x17B5 || (codePoint >= 0x180B && codePoint <= 0x180F) || codePoint == 0x2800
                || codePoint == 0x3164 || (codePoint >= 0xFE00 && codePoint <= 0xFE0F) || codePoint == 0xFFA0
                || (codePoint >= 0xE0100 && codePoint <= 0xE01EF);
    }

    /** Single-line text: no control character at all, no unpaired surrogate. */
    public static boolean isPlain(String text) {
        return isClean(text, false);
    }

    /** Text that may span lines: as {@link #isPlain}, but tab, line feed and carriage return are allowed. */
    public static boolean isPlainMultiline(String text) {
        return isClean(text, true);
    }

    /** {@link #isPlain} for text of at most {@code maxLength} UTF-16 code units; the length is checked first. */
    public static boolean isPlain(String text, int maxLength) {
        return text != null && text.length() <= maxLength && isPlain(text);
    }

    private static boolean isClean(String text, boolean lineBreaks) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) && !(lineBreaks && (c == '\t' || c == '\n' || c == '\r'))) {
                return false;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
