package io.linkguard.http.net;

import java.util.List;

/**
 * Who sent a request, as far as the trusted proxies vouch for it.
 *
 * @param client the client's address (IP literal)
 * @param chain  the believable forwarding chain, client first and the connection's peer last:
 *               what a proxy sends onward as {@code X-Forwarded-For}
 */
public record ClientAddress(String client, List<String> chain) {

    /** @return the chain as an {@code X-Forwarded-For} value */
    public String forwardedFor() {
        return String.join(", ", chain);
    }
}
