package io.storeman.security;

import io.netty.util.NetUtil;
import io.storeman.common.StoremanConfig;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.List;

/**
 * Who sent a request, worked out once per request (when first asked) and kept in its Vert.x context for the
 * throttles and the audit log. The peer is the TCP connection's own address. When the peer is one of
 * {@code storeman.http.trusted-proxies}, the client is the rightmost {@code X-Forwarded-For} hop that is not: each
 * proxy appends the address it heard from, so the hops added by trusted proxies are true and anything left of them
 * may be the client's invention. From any other peer the header is ignored. Quarkus' own {@code quarkus.http.proxy}
 * support takes the leftmost value, which the client chooses, so it is not used (and the connection's address is
 * read, whatever it is set to).
 * <p>
 * Throttles count an IPv4 client by its address and an IPv6 client by its /64, the block one subscriber usually
 * holds: counted by address, a single host could pick a new one for every request.
 */
@ApplicationScoped
public class ClientAddress {

    /** {@code ip}: the client's address, for logs; {@code key}: what throttles count it by. */
    public record Client(String ip, String key) {
    }

    static final Client UNKNOWN = new Client("-", "-");
    private static final String LOCAL = "storeman.client";
    private static final String FORWARDED_FOR = "X-Forwarded-For";

    /** An address range: {@code prefix} leading bits of {@code network}. */
    private record Range(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int bytes = prefix / 8;
            int mask = (0xff00 >> (prefix % 8)) & 0xff;
            return Arrays.equals(network, 0, bytes, address, 0, bytes)
                    && (bytes == network.length || ((network[bytes] ^ address[bytes]) & mask) == 0);
        }
    }

    private final List<Range> trustedProxies;

    @Inject
    ClientAddress(StoremanConfig config) {
        this(config.http().trustedProxies().orElse(List.of()));
    }

    ClientAddress(List<String> trustedProxies) {
        this.trustedProxies = trustedProxies.stream().map(ClientAddress::range).toList();
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            Context vertx = Vertx.currentContext();
            if (vertx != null) {
                vertx.putLocal(LOCAL, new Pending(this, context.request()));
            }
            context.next();
        });
    }

    /** A request whose client nobody asked for yet: most requests (health, Bearer calls) never need it. */
    private record Pending(ClientAddress addresses, HttpServerRequest request) {
    }

    /** The client of the request being handled, worked out on first use. */
    public static Client current() {
        Context context = Vertx.currentContext();
        Object local = context == null ? null : context.getLocal(LOCAL);
        if (local instanceof Pending pending) {
            Client client = pending.addresses().of(pending.request());
            context.putLocal(LOCAL, client);
            return client;
        }
        return local == null ? UNKNOWN : (Client) local;
    }

    private Client of(HttpServerRequest request) {
        SocketAddress peer = request.connection().remoteAddress();
        return resolve(peer == null ? null : peer.hostAddress(), request.headers().getAll(FORWARDED_FOR));
    }

    /** The client of a request from {@code peer} carrying these {@code X-Forwarded-For} header lines. */
    Client resolve(String peer, List<String> forwardedFor) {
        byte[] hop = peer == null ? null : parse(peer);
        if (hop == null) {
            return UNKNOWN;
        }
        if (isTrusted(hop)) {
            String[] hops = String.join(",", forwardedFor).split(",");
            for (int i = hops.length - 1; i >= 0 && isTrusted(hop); i--) {
                byte[] next = parse(hops[i]);
                if (next == null) {
                    break; // no address where a trusted proxy should have written one: keep the last sure hop
                }
                hop = next;
            }
        }
        return client(hop);
    }

    private boolean isTrusted(byte[] address) {
        for (Range range : trustedProxies) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static Client client(byte[] address) {
        if (address.length == 4) {
            String ip = NetUtil.bytesToIpAddress(address);
            return new Client(ip, ip);
        }
        byte[] network = Arrays.copyOf(Arrays.copyOf(address, 8), 16);
        return new Client(NetUtil.bytesToIpAddress(address), NetUtil.bytesToIpAddress(network) + "/64");
    }

    /**
     * The bytes of an IP literal (never a name: nothing is looked up), 4 for IPv4 and IPv4-mapped IPv6, else 16; a
     * port ({@code 1.2.3.4:80}, {@code [::1]:80}) is dropped. Null when the text is not an address.
     */
    private static byte[] parse(String text) {
        String value = text.strip();
        int colon = value.indexOf(':');
        if (value.startsWith("[") && value.indexOf(']') > 0) {
            value = value.substring(1, value.indexOf(']'));
        } else if (colon > 0 && colon == value.lastIndexOf(':')) {
            value = value.substring(0, colon);
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(value);
        if (bytes != null && bytes.length == 16 && isIpv4Mapped(bytes)) {
            return Arrays.copyOfRange(bytes, 12, 16);
        }
        return bytes;
    }

    private static boolean isIpv4Mapped(byte[] address) {
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return address[10] == (byte) 0xff && address[11] == (byte) 0xff;
    }

    private static Range range(String text) {
        int slash = text.indexOf('/');
        byte[] network = parse(slash < 0 ? text : text.substring(0, slash));
        if (network == null) {
            throw new IllegalArgumentException("storeman.http.trusted-proxies: not an address or range: " + text);
        }
        int bits = network.length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1).strip());
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("storeman.http.trusted-proxies: bad prefix length: " + text);
        }
        return new Range(network, prefix);
    }
}
