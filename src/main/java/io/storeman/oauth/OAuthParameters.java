package io.storeman.oauth;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.storeman.common.FormEncoding;
import io.storeman.common.TextInput;
import java.io.IOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of a request to an OAuth endpoint, read from a form (RFC 6749 App. B) or a JSON object body (our
 * choice D6), with the same rules either way: a parameter sent twice is {@code invalid_request}, one sent without a
 * value counts as omitted (RFC 6749 §3.2), and a value longer than its bound (L7) or holding a control character or
 * an unpaired surrogate (L8) is {@code invalid_request}, before any lookup or hash.
 */
public final class OAuthParameters {

    /** Bodies above this size are refused before parsing. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    /** L7: the bound of any parameter not named below (secrets, tokens and codes are only hashed or compared). */
    private static final int MAX_VALUE_LENGTH = 4096;
    /** L7: parameters with a tighter bound, each the longest value that could ever be valid. */
    private static final Map<String, Integer> MAX_LENGTHS = Map.of(
            "username", TextInput.MAX_EMAIL_LENGTH,
            "password", TextInput.MAX_PASSWORD_LENGTH,
            "client_id", TextInput.MAX_CLIENT_ID_LENGTH,
            "code_verifier", 128,
            "redirect_uri", 2000);
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
        Map<String, String> values = new HashMap<>();
        try {
            FormEncoding.decode(body).forEach(pair -> put(values, pair.getKey(), pair.getValue()));
        } catch (FormEncoding.MalformedForm e) {
            throw OAuthError.INVALID_REQUEST.exception(e.getMessage());
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
        checkText(name, MAX_VALUE_LENGTH);
        checkText(value, MAX_LENGTHS.getOrDefault(name, MAX_VALUE_LENGTH));
        if (values.containsKey(name)) {
            throw OAuthError.INVALID_REQUEST.exception("Parameter " + safeName(name) + " is sent more than once.");
        }
        values.put(name, value);
    }

    private static void checkText(String text, int maxLength) {
        if (text.length() > maxLength) {
            throw OAuthError.INVALID_REQUEST.exception("A parameter is too long.");
        }
        if (!TextInput.isPlain(text)) {
            throw OAuthError.INVALID_REQUEST.exception(
                    "Parameters must not contain control characters or unpaired surrogates.");
        }
    }

    /** A parameter name fit to echo in an error description (RFC 6749 §5.2 character set). */
    private static String safeName(String name) {
        return name.length() <= 40 && name.matches("[A-Za-z0-9_.-]+") ? name : "(unnamed)";
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

    /** Every parameter as sent (each name once, empty values included), to pass on as a whole. */
    public Map<String, String> all() {
        return values;
    }

    public boolean has(String name) {
        return get(name).isPresent();
    }
}
