package io.storeman.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 exchange over a raw socket, for requests no client library would send as written (huge header blocks,
 * broken escapes, bodies in chunks): one connection per request, {@code Connection: close}, the answer read to the end.
 */
public final class RawHttp {

    /** A response: status, headers (names in lower case; the last of a repeated name) and the body as UTF-8. */
    public record Answer(int status, Map<String, String> headers, String body) {

        public String contentType() {
            return headers.get("content-type");
        }
    }

    private RawHttp() {
    }

    /**
     * Sends {@code method target} with the given header lines (each "Name: value") and body, then reads the answer.
     * A null body sends no body; {@code chunked} sends it in chunks of 8 KiB without a declared length.
     */
    public static Answer exchange(int port, String method, String target, Map<String, String> headers, byte[] body,
            boolean chunked) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n")
                .append("Connection: close\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (body != null) {
            head.append(chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + body.length).append("\r\n");
        }
        head.append("\r\n");
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                if (body != null) {
                    out.write(chunked ? chunks(body) : body);
                }
                out.flush();
            } catch (IOException e) {
                // The server may answer (413) and close before it has read the whole body: read what it said.
            }
            return parse(readAll(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] chunks(byte[] body) {
        ByteArrayOutputStream encoded = new ByteArrayOutputStream(body.length + 1024);
        for (int at = 0; at < body.length; at += 8192) {
            int size = Math.min(8192, body.length - at);
            encoded.writeBytes((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            encoded.write(body, at, size);
            encoded.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        encoded.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return encoded.toByteArray();
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int read;
        try {
            while ((read = in.read(buffer)) != -1) {
                all.write(buffer, 0, read);
            }
        } catch (SocketException e) {
            // Reset after the answer was sent (the server closed without reading the whole body).
            if (all.size() == 0) {
                throw e;
            }
        }
        return all.toByteArray();
    }

    private static Answer parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        while (text.startsWith("HTTP/1.1 1") && end >= 0) {
            // An interim answer (100 Continue): the final one follows.
            text = text.substring(end + 4);
            end = text.indexOf("\r\n\r\n");
        }
        if (end < 0) {
            throw new AssertionError("no HTTP answer: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).strip());
        }
        String body = text.substring(end + 4);
        if (headers.getOrDefault("transfer-encoding", "").contains("chunked")) {
            body = dechunk(body);
        }
        return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers,
                new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }

    private static String dechunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (at < chunked.length()) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).split(";")[0].strip(), 16);
            if (size == 0) {
                break;
            }
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
        return body.toString();
    }
}
