package io.storeman.oidc;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The relying party's own web server, as small as it gets: it answers every path on 127.0.0.1 with a plain page, so
 * that the browser really lands on the redirect URI (or the post-logout one) and the test reads the answer off the
 * address bar, as the relying party would read its query.
 */
final class Callback implements AutoCloseable {

    private static final byte[] PAGE = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            + "<title>Relying party</title></head><body><p>Back at the relying party.</p></body></html>")
            .getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;

    private Callback(HttpServer server) {
        this.server = server;
    }

    /** Starts the server on a free port of the loopback address. */
    static Callback start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, PAGE.length);
                try (OutputStream body = exchange.getResponseBody()) {
                    body.write(PAGE);
                }
            });
            server.start();
            return new Callback(server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code path} on this server, e.g. {@code http://127.0.0.1:40123/callback}. */
    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
