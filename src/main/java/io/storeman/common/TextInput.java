package io.storeman.common;

/**
 * The one check of text a client sends before it is looked up, stored or hashed: within its bound, and made of
 * characters PostgreSQL and UTF-8 can carry as they are. Control characters (U+0000 to U+001F, U+007F to U+009F;
 * PostgreSQL refuses U+0000 outright) are refused, and so are unpaired UTF-16 surrogates, which a JSON escape such as
 * {@code "\ud800"} can produce and which UTF-8 encoding would silently turn into {@code ?}. One pass over the text;
 * callers bound its length first.
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
