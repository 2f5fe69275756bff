package io.storeman.oauth;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of a request to an OAuth endpoint, read from a form (RFC 6749 App. B) or a JSON object body (our
 * choice D6), with the same rules either way: a parameter sent twice is {@code invalid_request}, one sent without a
 * value counts as omitted (RFC 6749 §3.2), and control characters are refused.
 */
public final class OAuthParameters {

    /** Bodies above this size are refused before parsing. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    private static final int MAX_VALUE_LENGTH = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> values;

    private OAuthParameters(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    public static OAuthParameters empty() {
        return new OAuthParameters(Map.of());
    }

    /** Parses a body by its media type. An empty body without a media type has no parameters. */
    public static OAuthParameters parse(String contentType, byte[] body) {
        if (body == null) {
            body = new byte[0];
        }
        if (body.length > MAX_BODY_BYTES) {
            throw OAuthError.INVALID_REQUEST.exception("The request body is too large.");
        }
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase();
        if (mediaType.isEmpty() && body.length == 0) {
            return empty();
        }
        return switch (mediaType) {
            case "application/x-www-form-urlencoded" -> parseForm(body);
            case "application/json" -> parseJson(body);
            default -> throw OAuthError.INVALID_REQUEST.exception(
                    "The body must be application/x-www-form-urlencoded or application/json.");
        };
    }

    private static OAuthParameters parseForm(byte[] body) {
        String text = decodeUtf8(body);
        Map<String, String> values = new HashMap<>();
        if (text.isEmpty()) {
            return new OAuthParameters(values);
        }
        for (String pair : text.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = percentDecode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : percentDecode(pair.substring(eq + 1));
            put(values, name, value);
        }
        return new OAuthParameters(values);
    }

    private static OAuthParameters parseJson(byte[] body) {
        Map<String, String> values = new HashMap<>();
        try (JsonParser parser = JSON.getFactory().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw OAuthError.INVALID_REQUEST.exception("The JSON body must be an object.");
            }
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
                String name = parser.currentName();
                JsonToken valueToken = parser.nextToken();
                if (valueToken == JsonToken.VALUE_NULL) {
                    put(values, name, "");
                } else if (valueToken.isScalarValue()) {
                    put(values, name, parser.getText());
                } else {
                    throw OAuthError.INVALID_REQUEST.exception("Parameter values must be strings.");
                }
            }
            if (parser.nextToken() != null) {
                throw OAuthError.INVALID_REQUEST.exception("The body holds more than one JSON value.");
            }
        } catch (JsonProcessingException e) {
            throw OAuthError.INVALID_REQUEST.exception("The body is not valid JSON.");
        } catch (IOException e) {
            throw OAuthError.INVALID_REQUEST.exception("The body could not be read.");
        }
        return new OAuthParameters(values);
    }

    private static void put(Map<String, String> values, String name, String value) {
        checkText(name);
        checkText(value);
        if (values.containsKey(name)) {
            throw OAuthError.INVALID_REQUEST.exception("Parameter " + safeName(name) + " is sent more than once.");
        }
        values.put(name, value);
    }

    private static void checkText(String text) {
        if (text.length() > MAX_VALUE_LENGTH) {
            throw OAuthError.INVALID_REQUEST.exception("A parameter is too long.");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw OAuthError.INVALID_REQUEST.exception("Parameters must not contain control characters.");
            }
        }
    }

    /** A parameter name fit to echo in an error description (RFC 6749 §5.2 character set). */
    private static String safeName(String name) {
        return name.length() <= 40 && name.matches("[A-Za-z0-9_.-]+") ? name : "(unnamed)";
    }

    private static String percentDecode(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%') {
                if (i + 2 >= text.length()) {
                    throw OAuthError.INVALID_REQUEST.exception("The form body has a malformed escape.");
                }
                int hi = Character.digit(text.charAt(i + 1), 16);
                int lo = Character.digit(text.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw OAuthError.INVALID_REQUEST.exception("The form body has a malformed escape.");
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
        return decodeUtf8(bytes.toByteArray());
    }

    private static String decodeUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw OAuthError.INVALID_REQUEST.exception("The body is not valid UTF-8.");
        }
    }

    /** The value of a parameter, empty when absent or sent without a value. */
    public Optional<String> get(String name) {
        String value = values.get(name);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /** The value of a parameter that must be present, else {@code invalid_request}. */
    public String require(String name) {
        return get(name).orElseThrow(() -> OAuthError.INVALID_REQUEST.exception("Missing parameter: " + name + "."));
    }

    public boolean has(String name) {
        return get(name).isPresent();
    }
}
