package io.linkguard.http.net;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientAddressResolverTest {

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void resolveWhenNoProxyTrustedThenPeerEvenWithForgedHeader() {
        ClientAddress a = ClientAddressResolver.of("").resolve(ip("203.0.113.7"), List.of("1.2.3.4"));
        assertThat(a.client()).isEqualTo("203.0.113.7");
        assertThat(a.forwardedFor()).isEqualTo("203.0.113.7");
    }

    @Test
    void resolveWhenPeerUntrustedThenForgedEntriesDropped() {
        ClientAddress a = ClientAddressResolver.of("10.0.0.0/8").resolve(ip("198.51.100.9"), List.of("10.1.1.1, 8.8.8.8"));
        assertThat(a.client()).isEqualTo("198.51.100.9");
        assertThat(a.chain()).containsExactly("198.51.100.9");
    }

    @Test
    void resolveWhenPeerTrustedThenRightmostUntrustedHopIsClient() {
        // the client forged "1.1.1.1"; the trusted proxy appended the real peer 198.51.100.9
        ClientAddress a = ClientAddressResolver.of("10.0.0.0/8").resolve(ip("10.0.0.2"), List.of("1.1.1.1, 198.51.100.9"));
        assertThat(a.client()).isEqualTo("198.51.100.9");
        assertThat(a.chain()).containsExactly("198.51.100.9", "10.0.0.2");
    }

    @Test
    void resolveWhenSeveralTrustedHopsThenSkipsAllOfThem() {
        ClientAddress a = ClientAddressResolver.of("10.0.0.0/8, 192.168.1.5")
                .resolve(ip("10.0.0.2"), List.of("6.6.6.6, 198.51.100.9", "192.168.1.5, 10.9.9.9"));
        assertThat(a.client()).isEqualTo("198.51.100.9");
        assertThat(a.forwardedFor()).isEqualTo("198.51.100.9, 192.168.1.5, 10.9.9.9, 10.0.0.2");
    }

    @Test
    void resolveWhenClientForgesATrustedAddressThenItIsStillNotBelievedBeyondTheRealPeer() {
        // a direct client (not behind the proxy) claims to be the proxy: its peer address is what counts
        ClientAddress a = ClientAddressResolver.of("10.0.0.0/8").resolve(ip("198.51.100.9"), List.of("10.0.0.3"));
        assertThat(a.client()).isEqualTo("198.51.100.9");
    }

    @Test
    void resolveWhenEveryHopTrustedThenLeftmost() {
        ClientAddress a = ClientAddressResolver.of("127.0.0.1/32, ::1/128").resolve(ip("127.0.0.1"), List.of("::1"));
        assertThat(a.client()).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(a.chain()).hasSize(2);
    }

    @Test
    void resolveWhenEntryIsGarbageOrHostNameThenStopsAtLastTrustedHop() {
        ClientAddressResolver r = ClientAddressResolver.of("10.0.0.0/8");
        assertThat(r.resolve(ip("10.0.0.2"), List.of("1.2.3.4, unknown")).client()).isEqualTo("10.0.0.2");
        assertThat(r.resolve(ip("10.0.0.2"), List.of("evil.example.com")).client()).isEqualTo("10.0.0.2");
        assertThat(r.resolve(ip("10.0.0.2"), List.of("999.1.1.1")).client()).isEqualTo("10.0.0.2");
    }

    @Test
    void resolveWhenEntriesCarryPortsOrBracketsThenAddressOnly() {
        ClientAddressResolver r = ClientAddressResolver.of("10.0.0.0/8");
        assertThat(r.resolve(ip("10.0.0.2"), List.of("198.51.100.9:4711")).client()).isEqualTo("198.51.100.9");
        assertThat(r.resolve(ip("10.0.0.2"), List.of("[2001:db8::1]:443")).client()).isEqualTo("2001:db8:0:0:0:0:0:1");
    }

    @Test
    void resolveWhenIpv6RangeTrustedThenMatchesByPrefix() {
        ClientAddressResolver r = ClientAddressResolver.of("fd00::/8");
        assertThat(r.resolve(ip("fd12::5"), List.of("2001:db8::7")).client()).isEqualTo("2001:db8:0:0:0:0:0:7");
        assertThat(r.resolve(ip("fe80::1"), List.of("2001:db8::7")).client()).isEqualTo("fe80:0:0:0:0:0:0:1");
    }

    @Test
    void resolveWhenPrefixNotOnByteBoundaryThenMasksBits() {
        ClientAddressResolver r = ClientAddressResolver.of("172.16.0.0/12");
        assertThat(r.resolve(ip("172.31.255.1"), List.of("5.5.5.5")).client()).isEqualTo("5.5.5.5");
        assertThat(r.resolve(ip("172.32.0.1"), List.of("5.5.5.5")).client()).isEqualTo("172.32.0.1");
    }

    @Test
    void constructWhenSettingInvalidThenFailsAtStartWithTheSettingName() {
        assertThatThrownBy(() -> ClientAddressResolver.of("10.0.0.0/33")).hasMessageContaining("trusted-proxies");
        assertThatThrownBy(() -> ClientAddressResolver.of("gateway.internal")).hasMessageContaining("trusted-proxies");
    }
}
