package io.linkguard.http.net;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The real client address of a request. {@code X-Forwarded-For} is written by whoever sends
 * it, so it is believed only as far as trusted proxies vouch for it: starting from the
 * connection's peer, walk the header from the right while the hop is a trusted proxy; the
 * first untrusted hop is the client. Entries to its left were written by the client itself and
 * are dropped, so a client not behind a trusted proxy cannot choose its own address. With no
 * trusted proxies (the default) the client is always the peer.
 *
 * <p>Only IP literals are parsed, never host names (no DNS lookup on attacker input). An
 * unparsable entry stops the walk at the last trusted hop.
 */
@Singleton
public class ClientAddressResolver {

    private static final Pattern IPV4 = Pattern.compile("^(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}$");
    private static final Pattern IPV6 = Pattern.compile("^[0-9A-Fa-f:.]{2,45}$");
    private static final Pattern IPV4_WITH_PORT = Pattern.compile("^([0-9.]+):\\d{1,5}$");

    private final List<Cidr> trusted;

    /** @param configuration the trusted proxies setting */
    public ClientAddressResolver(ClientAddressConfiguration configuration) {
        this.trusted = parseTrusted(configuration.trustedProxies());
    }

    /**
     * @param trustedProxies comma-separated IPs/CIDRs, as in {@link ClientAddressConfiguration}
     * @return a resolver trusting exactly those
     */
    public static ClientAddressResolver of(@Nullable String trustedProxies) {
        return new ClientAddressResolver(new ClientAddressConfiguration(trustedProxies));
    }

    /**
     * @param request a server request
     * @return the client and the believable chain
     */
    public ClientAddress resolve(HttpRequest<?> request) {
        return resolve(request.getRemoteAddress().getAddress(), request.getHeaders().getAll("X-Forwarded-For"));
    }

    /**
     * @param peer                the connection's remote address
     * @param forwardedForHeaders every {@code X-Forwarded-For} header value, in order
     * @return the client and the believable chain
     */
    public ClientAddress resolve(InetAddress peer, List<String> forwardedForHeaders) {
        List<String> hops = new ArrayList<>();
        for (String header : forwardedForHeaders) {
            for (String entry : header.split(",")) {
                if (!entry.isBlank()) {
                    hops.add(entry.trim());
                }
            }
        }
        List<String> chain = new ArrayList<>();
        String client = peer.getHostAddress();
        chain.add(client);
        if (!isTrusted(peer)) {
            return new ClientAddress(client, List.copyOf(chain));
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop = parseLiteral(hops.get(i));
            if (hop == null) {
                break; // garbage: the last trusted hop is all we can vouch for
            }
            client = hop.getHostAddress();
            chain.add(0, client);
            if (!isTrusted(hop)) {
                break;
            }
        }
        return new ClientAddress(client, List.copyOf(chain));
    }

    private boolean isTrusted(InetAddress address) {
        for (Cidr c : trusted) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** @return the address of an IP literal (optionally bracketed or with a port), or null */
    @Nullable
    static InetAddress parseLiteral(String raw) {
        String s = raw.trim();
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                return null;
            }
            s = s.substring(1, close);
        } else {
            var withPort = IPV4_WITH_PORT.matcher(s);
            if (withPort.matches()) {
                s = withPort.group(1);
            }
        }
        boolean literal = IPV4.matcher(s).matches() || (s.indexOf(':') >= 0 && IPV6.matcher(s).matches());
        if (!literal) {
            return null;
        }
        try {
            // a literal: InetAddress parses it without any lookup
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static List<Cidr> parseTrusted(@Nullable String setting) {
        List<Cidr> out = new ArrayList<>();
        if (setting == null) {
            return out;
        }
        for (String item : setting.split(",")) {
            if (!item.isBlank()) {
                out.add(Cidr.parse(item.trim()));
            }
        }
        return List.copyOf(out);
    }

    /** An address range; a bare address is a range of one. */
    record Cidr(byte[] network, int prefix) {

        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            InetAddress address = parseLiteral(slash < 0 ? text : text.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("linkguard.network.trusted-proxies: not an IP address or CIDR: " + text);
            }
            byte[] bytes = address.getAddress();
            int prefix = bytes.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(text.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bytes.length * 8) {
                    throw new IllegalArgumentException("linkguard.network.trusted-proxies: bad prefix length in " + text);
                }
            }
            return new Cidr(bytes, prefix);
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                return false; // IPv4-mapped IPv6 peers already arrive as IPv4 from InetAddress
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (a[full] & mask) == (network[full] & mask);
        }
    }
}
