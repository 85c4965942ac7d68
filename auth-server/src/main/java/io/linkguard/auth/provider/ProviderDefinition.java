package io.linkguard.auth.provider;

import io.micronaut.core.annotation.Nullable;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One entry of the provider catalog (docs/connect-flow.md, "Provider catalog").
 *
 * @param key              catalog key, e.g. {@code github}
 * @param name             display name
 * @param authorizeUrl     authorization endpoint; may hold {@code {param}} placeholders
 * @param tokenUrl         token endpoint; may hold placeholders
 * @param revokeUrl        RFC 7009 revocation endpoint, null when the provider has none
 * @param refreshUrl       where refresh requests go when not the token endpoint (Figma), else null
 * @param defaultScopes    scopes requested when the profile names none
 * @param scopeSeparator   how scopes are joined in the authorize request
 * @param pkce             whether the provider accepts PKCE S256
 * @param authorizeParams  extra authorize query parameters (e.g. Google's {@code access_type=offline})
 * @param clientAuth       token endpoint client authentication
 * @param tokenBody        how the token request body is encoded (form, or JSON for providers that want it)
 * @param refreshRotates   whether the provider rotates refresh tokens
 * @param tokensExpire     false when the provider's access tokens carry no expiry (GitHub OAuth apps, Notion)
 * @param errorsInOkBody   whether the token endpoint can answer HTTP 200 with an error in the body
 *                         ({@code {"error":…}} or Slack's {@code {"ok":false,"error":…}})
 * @param connectionParams per-connection values the URLs need (name → label shown to the user),
 *                         e.g. {@code subdomain} for Zendesk
 * @param devOnly          a dev/test provider (the mock), present only when configured
 */
public record ProviderDefinition(String key,
                                 String name,
                                 String authorizeUrl,
                                 String tokenUrl,
                                 @Nullable String revokeUrl,
                                 @Nullable String refreshUrl,
                                 List<String> defaultScopes,
                                 String scopeSeparator,
                                 boolean pkce,
                                 Map<String, String> authorizeParams,
                                 ClientAuthStyle clientAuth,
                                 TokenBodyFormat tokenBody,
                                 boolean refreshRotates,
                                 boolean tokensExpire,
                                 boolean errorsInOkBody,
                                 Map<String, String> connectionParams,
                                 boolean devOnly) {

    /** A {@code {name}} placeholder in a URL. */
    static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z][a-z0-9_]{0,31})}");
    /**
     * What a connection parameter may be: host-name characters only, so a value can only pick a
     * tenant under the provider's own domain ({@code acme} in {@code acme.zendesk.com}) and can
     * never add a path, port, user-info or another host.
     */
    private static final Pattern PARAM_VALUE = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]|\\.(?!\\.)){0,99}");

    /** Scopes joined the way this provider expects them. */
    public String joinScopes(List<String> scopes) {
        return String.join(scopeSeparator, scopes);
    }

    /** Where a refresh request goes. */
    public String refreshEndpoint() {
        return refreshUrl != null ? refreshUrl : tokenUrl;
    }

    /**
     * A URL of this entry with its placeholders filled in.
     *
     * @throws IllegalArgumentException when a value is missing or not allowed (the message names the parameter)
     */
    public String resolve(String url, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(url);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String v = values.get(name);
            if (v == null || !validParamValue(v)) {
                throw new IllegalArgumentException(name);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Whether {@code v} may be filled into a URL placeholder. */
    public static boolean validParamValue(String v) {
        return PARAM_VALUE.matcher(v).matches() && !v.endsWith(".") && !v.endsWith("-");
    }

    /** Whether any URL of this entry needs per-connection values. */
    public boolean perTenant() {
        return !connectionParams.isEmpty();
    }
}
