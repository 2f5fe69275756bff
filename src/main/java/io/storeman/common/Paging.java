package io.storeman.common;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Keyset paging for the API's lists: {@code ?limit=} (default 50, at most 200) and an opaque {@code cursor} naming
 * the last row of the previous page. Rows come in ascending id order; the repository fetches one row more than the
 * limit, and when that extra row exists the answer carries {@code Link: <...>; rel="next"} (RFC 8288). A page costs
 * one index range scan however deep it is, and rows added or removed meanwhile never shift a page.
 */
public final class Paging {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;
    private static final String CURSOR_PREFIX = "after:";
    private static final int MAX_CURSOR_LENGTH = 64;
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private Paging() {
    }

    /** What a client asked for: up to {@code limit} rows whose id is above {@code afterId}. */
    public record PageRequest(int limit, long afterId) {

        /** Rows to fetch: one more than the limit, to know whether another page follows. */
        public int fetchSize() {
            return limit + 1;
        }
    }

    /** Parses {@code limit} and {@code cursor} query parameters; either absent means the first page of 50. */
    public static PageRequest request(String limit, String cursor) {
        return new PageRequest(limit(limit), afterId(cursor));
    }

    /**
     * A {@code 200} with the page as a JSON array ({@code body} renders the rows), and a {@code next} link when
     * {@code rows} (fetched with {@link PageRequest#fetchSize()}) hold more than the limit.
     */
    public static <T> Response page(List<T> rows, PageRequest request, ToLongFunction<T> id,
            Function<List<T>, ?> body, UriInfo uri) {
        boolean more = rows.size() > request.limit();
        List<T> page = more ? rows.subList(0, request.limit()) : rows;
        Response.ResponseBuilder response = Response.ok(body.apply(page), MediaType.APPLICATION_JSON_TYPE);
        if (more) {
            String next = uri.getRequestUriBuilder()
                    .replaceQueryParam("limit", request.limit())
                    .replaceQueryParam("cursor", cursor(id.applyAsLong(page.get(page.size() - 1))))
                    .build()
                    .toString();
            response.header(HttpHeaders.LINK, "<" + next + ">; rel=\"next\"");
        }
        return response.build();
    }

    static String cursor(long afterId) {
        return BASE64URL.encodeToString((CURSOR_PREFIX + afterId).getBytes(StandardCharsets.US_ASCII));
    }

    private static int limit(String value) {
        if (value == null || value.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // Answered below.
        }
        throw ProblemException.invalid("limit", "must be an integer from 1 to " + MAX_LIMIT);
    }

    private static long afterId(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return 0;
        }
        try {
            if (cursor.length() <= MAX_CURSOR_LENGTH) {
                String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
                if (decoded.startsWith(CURSOR_PREFIX)) {
                    long afterId = Long.parseLong(decoded.substring(CURSOR_PREFIX.length()));
                    if (afterId >= 0) {
                        return afterId;
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            // Not base64url, or not a number (NumberFormatException is one): answered below.
        }
        throw ProblemException.invalid("cursor", "must be a cursor taken from a Link header of this API");
    }
}
