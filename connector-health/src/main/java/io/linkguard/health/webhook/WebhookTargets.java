package io.linkguard.health.webhook;

import io.linkguard.health.problem.Refusal;
import io.micronaut.core.annotation.Nullable;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Which URLs may receive webhooks. Unless private targets are allowed (development, tests), a
 * target must be https and its host must resolve only to public addresses — not loopback,
 * private, link-local (cloud metadata), carrier-grade NAT, unique-local or multicast — checked
 * when the endpoint is registered (for literal addresses) and again before every delivery (for
 * names, whose answers can change), so an org's endpoint can never be pointed into the cluster.
 */
final class WebhookTargets {

    private WebhookTargets() {
    }

    /**
     * @return the URL, checked for registration
     * @throws Refusal naming what is wrong
     */
    static URI checkForRegistration(@Nullable String url, boolean allowPrivate) {
        if (url == null || url.isBlank() || url.length() > 2000) {
            throw Refusal.invalid("url: must be an absolute https URL (at most 2000 characters)");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw Refusal.invalid("url: not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || (allowPrivate && scheme.equals("http")))) {
            throw Refusal.invalid("url: must use https");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw Refusal.invalid("url: must name a host, without credentials or a fragment");
        }
        if (!allowPrivate && isLiteralAddress(uri.getHost())) {
            try {
                if (!isPublic(InetAddress.getByName(uri.getHost()))) {
                    throw Refusal.invalid("url: must not point to a private, loopback or link-local address");
                }
            } catch (UnknownHostException e) {
                throw Refusal.invalid("url: not a valid address");
            }
        }
        return uri;
    }

    /** @return null when the target may be called now, else why not */
    @Nullable
    static String refusal(URI uri, boolean allowPrivate) {
        if (allowPrivate) {
            return null;
        }
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            return "target is not https";
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(uri.getHost())) {
                if (!isPublic(a)) {
                    return "target resolves to a non-public address";
                }
            }
            return null;
        } catch (UnknownHostException e) {
            return "target host does not resolve";
        }
    }

    static boolean isPublic(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return !(first == 0 || (first == 100 && second >= 64 && second < 128)    // 0/8, carrier-grade NAT
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0)            // IETF protocol assignments
                    || (first == 198 && (second == 18 || second == 19)) || first >= 240);
        }
        if (a instanceof Inet6Address) {
            return (b[0] & 0xfe) != 0xfc;   // unique-local fc00::/7
        }
        return true;
    }

    private static boolean isLiteralAddress(String host) {
        return host.startsWith("[") || host.matches("[0-9.]+");
    }
}
