package io.linkguard.client;

import java.net.URI;
import java.util.Map;

/**
 * The provider no longer accepts the connection (409, type {@code …/needs-reauth}): no token can be
 * had until the user reconnects. Stop polling this connection and send the user to
 * {@link #reconnectUrl()}; Linkguard already shows them a banner.
 */
public class NeedsReauthException extends LinkguardException {

    private static final long serialVersionUID = 1L;

    /**
     * @param status     the HTTP status (409)
     * @param type       the problem type URI
     * @param title      the problem's title
     * @param detail     the problem's detail
     * @param extensions the problem's further members, among them {@code connector} and {@code reconnectUrl}
     */
    public NeedsReauthException(int status, String type, String title, String detail, Map<String, Object> extensions) {
        super(status, type, title, detail, extensions);
    }

    /** @return the connector key of the connection, or null if the answer did not say */
    public String connector() {
        Object c = extensions().get("connector");
        return c == null ? null : c.toString();
    }

    /** @return where the user reconnects (Linkguard's public URL), or null if the answer had none */
    public URI reconnectUrl() {
        Object u = extensions().get("reconnectUrl");
        if (u == null) {
            return null;
        }
        try {
            return URI.create(u.toString());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
