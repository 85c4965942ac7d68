package io.linkguard.mock;

/**
 * A way real providers depart from RFC 6749 at the token endpoint, switched on to test that a
 * client copes. Any combination may be on; none is on by default.
 */
public enum Quirk {
    /** Refusals (400/401) come back as HTTP 200 with {@code {"error":…}} in the body, as GitHub answers. */
    ERRORS_IN_OK_BODY("errors-in-ok-body"),
    /**
     * Every answer is HTTP 200 wrapped Slack-style: {@code "ok": true} beside the tokens, or
     * {@code {"ok":false,"error":…}} with Slack's codes ({@code invalid_code}, {@code invalid_refresh_token},
     * {@code invalid_client_id}).
     */
    OK_FALSE_ENVELOPE("ok-false-envelope"),
    /** Access tokens never expire and the answer has no {@code expires_in} (GitHub OAuth apps, Notion). */
    NO_EXPIRY("no-expiry"),
    /** The granted {@code scope} in token answers is comma-separated (Slack, Shopify). */
    COMMA_SCOPES("comma-scopes"),
    /** Only HTTP Basic client authentication is accepted; credentials in the body are {@code invalid_client}. */
    CLIENT_AUTH_BASIC_ONLY("basic-only"),
    /** Only client credentials in the form body are accepted; HTTP Basic is {@code invalid_client}. */
    CLIENT_AUTH_POST_ONLY("post-only"),
    /** The token request body must be JSON (Notion documents only that); a form body is {@code invalid_request}. */
    JSON_TOKEN_BODY("json-body");

    private final String wireName;

    Quirk(String wireName) {
        this.wireName = wireName;
    }

    /** The name used by the HTTP control API. */
    public String wireName() {
        return wireName;
    }

    public static Quirk fromWireName(String name) {
        for (Quirk q : values()) {
            if (q.wireName.equalsIgnoreCase(name) || q.name().equalsIgnoreCase(name)) {
                return q;
            }
        }
        throw new IllegalArgumentException("unknown quirk: " + name);
    }
}
