package io.storeman.http;

import io.smallrye.mutiny.Uni;
import io.storeman.web.WebErrors;
import io.storeman.web.WebHeaders;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Locale;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Requests that no page or endpoint takes: a path that does not exist (404), or a method a path does not serve
 * (405). A browser finding its way around ({@code /}, a mistyped {@code /account/...} address, an old bookmark) gets
 * an HTML page in the site's frame, with the account menu when it is signed in. A browser is a request whose
 * {@code Accept} names {@code text/html}, as every browser's navigation does. Everything else keeps the answer of
 * {@link ErrorMappers} word for word: API clients, and every request to the API, OAuth, discovery and operations
 * paths, whatever it accepts, since the contract fixes their errors.
 */
public class UnmatchedRequests {

    /** Paths whose answers are for programs; the authorization endpoint among them is a page. */
    private static final List<String> MACHINE_PATHS = List.of("/api", "/oauth", "/q", "/.well-known");
    private static final String AUTHORIZE_PAGE = "/oauth/authorize";

    private final WebErrors pages;
    private final ErrorMappers api;

    UnmatchedRequests(WebErrors pages, ErrorMappers api) {
        this.pages = pages;
        this.api = api;
    }

    @ServerExceptionMapper
    public Uni<Response> notFound(NotFoundException failure, HttpServerRequest request) {
        return answer(failure, request);
    }

    @ServerExceptionMapper
    public Uni<Response> notAllowed(NotAllowedException failure, HttpServerRequest request) {
        return answer(failure, request);
    }

    private Uni<Response> answer(WebApplicationException failure, HttpServerRequest request) {
        if (!wantsPage(request.getHeader(HttpHeaders.ACCEPT), request.path())) {
            return Uni.createFrom().item(api.http(failure, request));
        }
        return pages.render(failure, request).map(page -> withPolicy(page, request));
    }

    /** Most of these paths are outside the pages' own headers ({@link WebHeaders}): the same policy, set here. */
    private static Response withPolicy(Response page, HttpServerRequest request) {
        return request.response().headers().contains(WebHeaders.POLICY_HEADER)
                ? page
                : Response.fromResponse(page).header(WebHeaders.POLICY_HEADER, WebHeaders.POLICY).build();
    }

    static boolean wantsPage(String accept, String path) {
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("text/html") && !isMachinePath(path);
    }

    private static boolean isMachinePath(String path) {
        if (path == null) {
            return true;
        }
        return !path.equals(AUTHORIZE_PAGE)
                && MACHINE_PATHS.stream().anyMatch(prefix -> path.equals(prefix) || path.startsWith(prefix + "/"));
    }
}
