package io.storeman.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** An RFC 9457 problem document, as {@code application/problem+json}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, Map<String, String> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String title, String detail) {
        return new Problem("about:blank", title, status, detail, null);
    }
}
