package io.storeman.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.storeman.common.FormEncoding;
import io.storeman.common.Problem;
import io.storeman.common.StoremanConfig;
import io.storeman.oauth.OAuthError;
import io.storeman.oauth.OAuthErrorWriter.ErrorBody;
import io.storeman.web.PageErrorWriter;
import io.storeman.web.WebHeaders;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The limits every request meets before an endpoint sees it, each answered in the endpoint's own error format: RFC
 * 6749 JSON ({@code invalid_request}) at the OAuth endpoints, {@code application/problem+json} at the API, an HTML
 * page at the browser pages (the authorization page among them). The bodies are small and made once.
 * <ul>
 * <li>L1: a body over {@code storeman.limits.max-body-size} is 413. A declared length is checked before anything is
 * read; a body sent in chunks (no declared length) is read here up to the limit and handed on whole.</li>
 * <li>L5: a request target over {@code storeman.limits.max-url-length} characters is 414.</li>
 * <li>L6: a header block over {@code storeman.limits.max-header-size} is 431.</li>
 * </ul>
 * Vert.x answers a request line or header block over its own limits with a bare 414 or 431 before any route runs,
 * and Quarkus offers no hook there; so those limits are set to twice ours, and everything between ours and theirs is
 * answered here in format. (A URL that is not a valid URI, such as one with a broken escape, gets a bare 400 from
 * Quarkus before any route, likewise out of reach.) A page form that is not strict UTF-8 form encoding is answered 400
 * here: the form reader of Quarkus REST fails on it with a 500. Every answer closes the connection (HTTP/1): its body
 * may be unread.
 */
@ApplicationScoped
public class RequestLimits implements HttpServerOptionsCustomizer {

    /**
     * After the request id and security headers, the address guard and the page headers; before Quarkus' own body
     * size check (order -2), which would answer an empty 413.
     */
    static final int ORDER = Integer.MIN_VALUE + 3;
    /** A body read here, for the endpoint (see {@link #useBodyReadAhead}). */
    private static final String READ_AHEAD = "storeman.body-read-ahead";
    private static final String FORM = "application/x-www-form-urlencoded";

    /** What a request is refused for: the status and the sentence every format carries. */
    enum Refusal {
        BODY_TOO_LARGE(413, "Content Too Large", "The request body is larger than this server accepts."),
        URL_TOO_LONG(414, "URI Too Long", "The request URL is longer than this server accepts."),
        HEADERS_TOO_LARGE(431, "Request Header Fields Too Large",
                "The request headers are larger than this server accepts."),
        UNDECODABLE_FORM(400, "Bad Request", "The form holds an escape or bytes that cannot be decoded.");

        final int status;
        final String title;
        final String sentence;

        Refusal(int status, String title, String sentence) {
            this.status = status;
            this.title = title;
            this.sentence = sentence;
        }
    }

    /** How the endpoint at a path speaks errors. */
    enum Format {
        OAUTH("application/json"), PROBLEM(Problem.MEDIA_TYPE), PAGE("text/html;charset=UTF-8");

        final String mediaType;

        Format(String mediaType) {
            this.mediaType = mediaType;
        }

        static Format of(String path) {
            if (path == null) {
                return PROBLEM;
            }
            if (path.startsWith("/oauth/authorize") || path.startsWith("/oauth/logout") || path.startsWith("/users")
                    || path.startsWith("/account") || path.equals("/device")) {
                return PAGE;
            }
            return path.startsWith("/oauth/") ? OAUTH : PROBLEM;
        }
    }

    private final long maxBodySize;
    private final int maxUrlLength;
    private final long maxHeaderSize;
    private final ObjectMapper json;
    private final Map<String, Buffer> answers = new ConcurrentHashMap<>();

    RequestLimits(StoremanConfig config, ObjectMapper json) {
        this.maxBodySize = config.limits().maxBodySize().asLongValue();
        this.maxUrlLength = config.limits().maxUrlLength();
        this.maxHeaderSize = config.limits().maxHeaderSize().asLongValue();
        this.json = json;
    }

    /** Vert.x's own limits, beyond which it answers without a body: twice ours, leaving room for ours to speak. */
    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setMaxInitialLineLength(Math.max(options.getMaxInitialLineLength(), 2 * maxUrlLength + 64));
        options.setMaxHeaderSize((int) Math.max(options.getMaxHeaderSize(), 2 * maxHeaderSize));
    }

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        customizeHttpServer(options);
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
    }

    private void check(RoutingContext context) {
        HttpServerRequest request = context.request();
        boolean declared = request.getHeader(HttpHeaders.CONTENT_LENGTH) != null;
        if (request.uri().length() > maxUrlLength) {
            refuse(context, Refusal.URL_TOO_LONG);
        } else if (headerSize(request.headers()) > maxHeaderSize) {
            refuse(context, Refusal.HEADERS_TOO_LARGE);
        } else if (declared && declaredLength(request) > maxBodySize) {
            refuse(context, Refusal.BODY_TOO_LARGE);
        } else if (isPageForm(request)) {
            readAhead(context, true);
        } else if (!declared && request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
            readAhead(context, false);
        } else {
            context.next();
        }
    }

    /**
     * Reads a body up to the limit, then hands it to the endpoint whole; past the limit it answers 413 and drops the
     * rest. Memory held: at most the limit, for the length of the request. A page's form must also decode strictly
     * ({@link FormEncoding}, L8): the form reader of Quarkus REST fails with a 500 on a broken escape.
     */
    private void readAhead(RoutingContext context, boolean form) {
        HttpServerRequest request = context.request();
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (context.response().ended()) {
                return;
            }
            if (body.length() + (long) chunk.length() > maxBodySize) {
                refuse(context, Refusal.BODY_TOO_LARGE);
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.endHandler(end -> {
            if (context.response().ended()) {
                return;
            }
            if (form && !isWellFormed(body)) {
                refuse(context, Refusal.UNDECODABLE_FORM);
                return;
            }
            context.put(READ_AHEAD, body);
            context.setBody(body);
            context.next();
        });
        if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            context.response().writeContinue();
        }
        request.resume();
    }

    private static boolean isPageForm(HttpServerRequest request) {
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        return type != null && Format.of(request.path()) == Format.PAGE
                && type.regionMatches(true, 0, FORM, 0, FORM.length());
    }

    private static boolean isWellFormed(Buffer form) {
        try {
            FormEncoding.decode(form.getBytes());
            return true;
        } catch (FormEncoding.MalformedForm e) {
            return false;
        }
    }

    /**
     * Gives Quarkus REST the body read ahead: without it, REST would find the request already ended and read an
     * empty body. ({@code setBody} above serves the form reader, which looks there.)
     */
    @ServerRequestFilter(preMatching = true)
    public void useBodyReadAhead(ContainerRequestContext request, RoutingContext context) {
        Buffer body = context.get(READ_AHEAD);
        if (body != null) {
            request.setEntityStream(new ByteArrayInputStream(body.getBytes()));
        }
    }

    private void refuse(RoutingContext context, Refusal refusal) {
        Format format = Format.of(context.request().path());
        HttpServerResponse response = context.response();
        response.setStatusCode(refusal.status)
                .putHeader(HttpHeaders.CONTENT_TYPE, format.mediaType)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        if (format == Format.PAGE) {
            response.putHeader("Content-Security-Policy", WebHeaders.POLICY);
        }
        response.putHeader(HttpHeaders.CONNECTION, "close");
        response.endHandler(done -> context.request().connection().close());
        response.end(answers.computeIfAbsent(format + " " + refusal, key -> body(format, refusal)));
    }

    private Buffer body(Format format, Refusal refusal) {
        try {
            return Buffer.buffer(switch (format) {
                case OAUTH -> json.writeValueAsString(
                        new ErrorBody(OAuthError.INVALID_REQUEST.code(), refusal.sentence));
                case PROBLEM -> json.writeValueAsString(Problem.of(refusal.status, refusal.title, refusal.sentence));
                case PAGE -> PageErrorWriter.anonymousPage(refusal.status, refusal.title, refusal.sentence);
            });
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The header block's size as sent: each name, value, ": " and CRLF. */
    private static long headerSize(MultiMap headers) {
        long size = 0;
        for (Map.Entry<String, String> header : headers) {
            size += header.getKey().length() + header.getValue().length() + 4;
        }
        return size;
    }

    /** The declared length; one that does not parse counts as too large (Netty refuses most such requests first). */
    private static long declaredLength(HttpServerRequest request) {
        try {
            return Long.parseLong(request.getHeader(HttpHeaders.CONTENT_LENGTH).strip());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
