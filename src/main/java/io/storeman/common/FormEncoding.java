package io.storeman.common;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Strict {@code application/x-www-form-urlencoded} decoding (RFC 6749 App. B): the body and every decoded name and
 * value must be UTF-8, {@code +} is a space and every {@code %} starts two hex digits. Anything else fails with
 * {@link MalformedForm}, rather than being guessed at or replaced. One pass, linear in the body.
 */
public final class FormEncoding {

    /** A body that is not a well-formed form; the message is fit to show a client. */
    public static final class MalformedForm extends RuntimeException {
        MalformedForm(String message) {
            super(message, null, false, false);
        }
    }

    private FormEncoding() {
    }

    /**
     * Whether a URL's query (as the request line has it, still escaped) decodes strictly: every escape complete,
     * every name and value UTF-8 (L8). The lenient decoder behind JAX-RS query parameters turns broken UTF-8 into
     * U+FFFD instead.
     */
    public static boolean isWellFormedQuery(String query) {
        try {
            decode(query == null ? new byte[0] : query.getBytes(StandardCharsets.ISO_8859_1));
            return true;
        } catch (MalformedForm e) {
            return false;
        }
    }

    /** The name-value pairs in order, repeats kept; a pair without {@code =} has the empty value. */
    public static List<Map.Entry<String, String>> decode(byte[] body) {
        String text = utf8(body);
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        for (String pair : text.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            pairs.add(Map.entry(percentDecode(eq < 0 ? pair : pair.substring(0, eq)),
                    eq < 0 ? "" : percentDecode(pair.substring(eq + 1))));
        }
        return pairs;
    }

    private static String percentDecode(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%') {
                int hi = i + 2 < text.length() ? hex(text.charAt(i + 1)) : -1;
                int lo = i + 2 < text.length() ? hex(text.charAt(i + 2)) : -1;
                if (hi < 0 || lo < 0) {
                    throw new MalformedForm("The form body has a malformed escape.");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else {
                int codePoint = text.codePointAt(i);
                byte[] raw = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
                bytes.write(raw, 0, raw.length);
                i += Character.charCount(codePoint) - 1;
            }
        }
        return utf8(bytes.toByteArray());
    }

    /** An ASCII hex digit's value, else -1 ({@code Character.digit} would also take other scripts' digits). */
    private static int hex(char c) {
        return c < 0x80 ? Character.digit(c, 16) : -1;
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedForm("The body is not valid UTF-8.");
        }
    }
}
