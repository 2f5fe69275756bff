package io.storeman.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.storeman.security.ClientAddress.Client;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who the client is: the rightmost X-Forwarded-For hop outside the trusted proxies, never a value it chose. */
class ClientAddressTest {

    private final ClientAddress behindIngress = new ClientAddress(List.of("10.0.0.0/8", "127.0.0.1", "fd00::/8"));
    private final ClientAddress direct = new ClientAddress(List.of());

    @Test
    void whenPeerIsNotATrustedProxyThenForwardedForIsIgnored() {
        assertEquals(new Client("203.0.113.9", "203.0.113.9"),
                behindIngress.resolve("203.0.113.9", List.of("1.2.3.4")));
        assertEquals("127.0.0.1", direct.resolve("127.0.0.1", List.of("1.2.3.4")).key());
    }

    @Test
    void whenPeerIsTrustedThenRightmostUntrustedHopAndNeverTheForgedLeftmost() {
        assertEquals("5.6.7.8", behindIngress.resolve("10.1.1.1", List.of("1.2.3.4, 5.6.7.8")).key());
        assertEquals("5.6.7.8", behindIngress.resolve("127.0.0.1", List.of("1.2.3.4, 5.6.7.8, 10.9.9.9")).key());
    }

    @Test
    void whenSeveralHeaderLinesThenReadAsOneListInOrder() {
        assertEquals("5.6.7.8", behindIngress.resolve("10.1.1.1", List.of("1.2.3.4", "5.6.7.8", "10.2.2.2")).key());
    }

    @Test
    void whenNoHeaderOrEveryHopTrustedThenTheLastHopStandsForTheClient() {
        assertEquals("10.1.1.1", behindIngress.resolve("10.1.1.1", List.of()).key());
        assertEquals("10.3.3.3", behindIngress.resolve("10.1.1.1", List.of("10.3.3.3, 10.2.2.2")).key());
    }

    @Test
    void whenAHopIsNotAnAddressThenTheLastAddressVouchedForCounts() {
        assertEquals("10.2.2.2", behindIngress.resolve("10.1.1.1", List.of("5.6.7.8, unknown, 10.2.2.2")).key());
        assertEquals("10.1.1.1", behindIngress.resolve("10.1.1.1", List.of("evil.example")).key());
    }

    @Test
    void whenHopsCarryPortsOrBracketsThenTheAddressCounts() {
        assertEquals("5.6.7.8", behindIngress.resolve("10.1.1.1", List.of("5.6.7.8:4711")).key());
        assertEquals("2001:db8:1:2::1", behindIngress.resolve("10.1.1.1", List.of("[2001:db8:1:2::1]:443")).ip());
    }

    @Test
    void whenIpv6ThenCountedByItsSlash64AndLoggedWhole() {
        Client one = direct.resolve("2001:db8:1:2:aaaa::1", List.of());
        Client other = direct.resolve("2001:DB8:1:2:ffff:ffff:ffff:ffff", List.of());
        assertEquals("2001:db8:1:2::/64", one.key());
        assertEquals(one.key(), other.key());
        assertEquals("2001:db8:1:2:aaaa::1", one.ip());
        assertEquals("2001:db8:1:3::/64", direct.resolve("2001:db8:1:3::1", List.of()).key());
    }

    @Test
    void whenIpv4MappedIpv6ThenCountedAsIpv4() {
        assertEquals(new Client("192.0.2.1", "192.0.2.1"), direct.resolve("::ffff:192.0.2.1", List.of()));
    }

    @Test
    void whenRangePrefixIsNotWholeBytesThenOnlyItsBitsCompare() {
        ClientAddress proxies = new ClientAddress(List.of("172.16.0.0/12"));
        assertEquals("9.9.9.9", proxies.resolve("172.31.255.1", List.of("9.9.9.9")).key());
        assertEquals("172.32.0.1", proxies.resolve("172.32.0.1", List.of("9.9.9.9")).key());
        assertEquals("9.9.9.9", behindIngress.resolve("fd12::1", List.of("9.9.9.9")).key());
    }

    @Test
    void whenTrustedProxiesMisconfiguredThenRefusedAtStart() {
        assertThrows(IllegalArgumentException.class, () -> new ClientAddress(List.of("proxy.internal")));
        assertThrows(IllegalArgumentException.class, () -> new ClientAddress(List.of("10.0.0.0/33")));
        assertThrows(IllegalArgumentException.class, () -> new ClientAddress(List.of("10.0.0.0/x")));
    }

    @Test
    void whenNoPeerAddressThenUnknown() {
        assertEquals(ClientAddress.UNKNOWN, direct.resolve(null, List.of()));
    }
}
