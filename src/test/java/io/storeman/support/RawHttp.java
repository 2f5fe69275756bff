package io.storeman.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 exchange over a plain socket, written byte for byte as given: nothing on the way normalises the path,
 * escapes a header or re-encodes the body, so a request can carry NUL, control characters and invalid UTF-8 anywhere.
 * The answer is read to the end of its body and timed from the connect.
 */
public final class RawHttp {

    private final ByteArrayOutputStream head = new ByteArrayOutputStream();
    private byte[] body = new byte[0];
    private boolean chunked;

    private RawHttp(byte[] method, byte[] target) {
        head.writeBytes(method);
        head.write(' ');
        head.writeBytes(target);
        head.writeBytes(" HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** A request to {@code target} (path and query), as UTF-8. */
    public static RawHttp request(String method, String target) {
        return request(method, target.getBytes(StandardCharsets.UTF_8));
    }

    /** A request to a target given as raw bytes. */
    public static RawHttp request(String method, byte[] target) {
        return new RawHttp(method.getBytes(StandardCharsets.US_ASCII), target);
    }

    /** A header whose value is sent as UTF-8. */
    public RawHttp header(String name, String value) {
        return header(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A header whose value is sent as the given bytes. */
    public RawHttp header(String name, byte[] value) {
        head.writeBytes(name.getBytes(StandardCharsets.US_ASCII));
        head.writeBytes(": ".getBytes(StandardCharsets.US_ASCII));
        head.writeBytes(value);
        head.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    /** The body with its {@code Content-Type} (left out when null). */
    public RawHttp body(String contentType, byte[] content) {
        if (contentType != null) {
            header("Content-Type", contentType);
        }
        this.body = content;
        return this;
    }

    /**
     * One exchange in one call: {@code headers} in order, {@code body} (none when null) with a length or in chunks.
     */
    public static Answer exchange(int port, String method, String target, Map<String, String> headers, byte[] body,
            boolean chunked) {
        RawHttp request = request(method, target);
        headers.forEach(request::header);
        if (body != null) {
            request.body(null, body);
        }
        if (chunked) {
            request.chunked();
        }
        return request.send(port, Duration.ofSeconds(30));
    }

    /** Sends the body with {@code Transfer-Encoding: chunked} (8 KiB chunks) instead of a {@code Content-Length}. */
    public RawHttp chunked() {
        this.chunked = true;
        return this;
    }

    /** An answer: status, headers (names in lower case, the last of a repeated one), body as UTF-8, time taken. */
    public record Answer(int status, Map<String, String> headers, String body, Duration took) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String contentType() {
            String type = header("Content-Type");
            return type == null ? "" : type.toLowerCase(Locale.ROOT);
        }
    }

    /** Sends the request to 127.0.0.1:{@code port} on a connection of its own and reads the whole answer. */
    public Answer send(int port) {
        return send(port, Duration.ofSeconds(10));
    }

    /** As {@link #send(int)}, failing when no byte of the answer comes for {@code patience}. */
    public Answer send(int port, Duration patience) {
        return send(port, patience, null);
    }

    /**
     * As {@link #send(int, Duration)}, from the loopback address {@code from} (such as 127.0.0.2: every 127/8 address
     * reaches the server), so that the server sees another client address; null for the default.
     */
    public Answer send(int port, Duration patience, InetAddress from) {
        long start = System.nanoTime();
        try (Socket socket = from == null ? new Socket(InetAddress.getLoopbackAddress(), port)
                : new Socket(InetAddress.getLoopbackAddress(), port, from, 0)) {
            socket.setSoTimeout((int) patience.toMillis());
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.writeBytes(head.toByteArray());
            request.writeBytes(("Host: 127.0.0.1:" + port + "\r\nConnection: close\r\n"
                    + (chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + body.length)
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            request.writeBytes(chunked ? chunks(body) : body);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.toByteArray());
                out.flush();
            } catch (IOException e) {
                // The server may answer (413, 431) and close before reading everything: read what it said.
            }
            return read(new BufferedInputStream(socket.getInputStream()), start);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer within " + patience.toMillis() + " ms", e);
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

    private static Answer read(InputStream in, long start) throws IOException {
        String statusLine = line(in);
        while (statusLine != null && statusLine.startsWith("HTTP/1.1 1")) {
            // An interim answer (100 Continue): skip its header block, the final answer follows.
            for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
                // nothing to keep
            }
            statusLine = line(in);
        }
        if (statusLine == null) {
            throw new AssertionError("connection closed without an answer");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            if (colon > 0) {
                headers.put(header.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        header.substring(colon + 1).strip());
            }
        }
        byte[] content;
        String length = headers.get("content-length");
        if (length != null) {
            content = in.readNBytes(Integer.parseInt(length));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            content = dechunk(in);
        } else {
            content = readToEnd(in);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        return new Answer(status, headers, new String(content, StandardCharsets.UTF_8), took);
    }

    /** A line up to CRLF, as Latin-1; null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        for (int b = in.read(); b != -1; b = in.read()) {
            if (previous == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
            previous = b;
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] dechunk(InputStream in) throws IOException {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (String size = line(in); size != null; size = line(in)) {
            int length = Integer.parseInt(size.split(";")[0].strip(), 16);
            if (length == 0) {
                break;
            }
            content.writeBytes(in.readNBytes(length));
            line(in);
        }
        return content.toByteArray();
    }

    private static byte[] readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        try {
            in.transferTo(content);
        } catch (SocketException e) {
            // Reset after the answer was sent: the server closed without reading the whole request.
        }
        return content.toByteArray();
    }
}
