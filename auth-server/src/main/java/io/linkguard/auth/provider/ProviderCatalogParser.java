package io.linkguard.auth.provider;

import io.micronaut.context.env.yaml.YamlPropertySourceLoader;
import io.micronaut.core.annotation.Nullable;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Reads catalog YAML into {@link ProviderDefinition}s and validates every field, so a bad entry
 * fails start-up with a message naming the source, the entry and the field. Uses Micronaut's own
 * YAML reader (snakeyaml underneath), which hands back the document flattened to dotted keys
 * ({@code providers.github.token-url}); this class puts the entries back together.
 */
final class ProviderCatalogParser {

    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final Set<String> FIELDS = Set.of("name", "authorize-url", "token-url", "revoke-url", "scopes",
            "scope-separator", "pkce", "authorize-params", "client-auth", "refresh-rotates", "dev-only");

    private ProviderCatalogParser() {
    }

    /**
     * @param source       name of the file, for messages
     * @param in           the YAML
     * @param placeholders resolves {@code ${…}} placeholders in string values
     * @param devEnabled   whether a dev-only entry of this key is switched on (else it is skipped unread)
     * @return entries by key, in file order
     */
    static Map<String, ProviderDefinition> parse(String source, InputStream in, UnaryOperator<String> placeholders,
                                                 Predicate<String> devEnabled) {
        Map<String, Object> flat;
        try {
            flat = new YamlPropertySourceLoader().read(source, in);
        } catch (IOException | RuntimeException e) {
            throw new ProviderCatalogException("Provider catalog " + source + " is not valid YAML");
        }
        Map<String, Map<String, Object>> raw = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : flat.entrySet()) {
            String k = e.getKey();
            if (!k.startsWith("providers.")) {
                throw new ProviderCatalogException("Provider catalog " + source + ": unexpected top-level key '"
                        + k.split("\\.")[0] + "' (entries go under 'providers')");
            }
            String rest = k.substring("providers.".length());
            int dot = rest.indexOf('.');
            if (dot < 0) {
                throw new ProviderCatalogException("Provider catalog " + source + ": entry '" + rest + "' has no fields");
            }
            String key = rest.substring(0, dot);
            String field = rest.substring(dot + 1);
            raw.computeIfAbsent(key, x -> new LinkedHashMap<>()).put(field, e.getValue());
        }
        Map<String, ProviderDefinition> out = new LinkedHashMap<>();
        raw.forEach((key, fields) -> {
            if (Boolean.TRUE.equals(fields.get("dev-only")) && !devEnabled.test(key)) {
                return;
            }
            out.put(key, entry(source, key, fields, placeholders));
        });
        return out;
    }

    private static ProviderDefinition entry(String source, String key, Map<String, Object> fields,
                                            UnaryOperator<String> placeholders) {
        Entry e = new Entry(source, key, placeholders);
        if (!KEY.matcher(key).matches()) {
            throw e.fail("key", "must be lower-case letters, digits, '-' or '_'");
        }
        Map<String, String> params = new TreeMap<>();
        for (Map.Entry<String, Object> f : fields.entrySet()) {
            String name = f.getKey();
            if (name.startsWith("authorize-params.")) {
                params.put(name.substring("authorize-params.".length()), e.scalar(name, f.getValue()));
            } else if (!FIELDS.contains(name)) {
                throw e.fail(name, "is not a known field");
            }
        }
        if (fields.get("authorize-params") instanceof Map<?, ?> m && !m.isEmpty()) {
            throw e.fail("authorize-params", "must be a map of strings");
        }
        boolean devOnly = e.bool(fields, "dev-only", false);
        String scopeSeparator = fields.containsKey("scope-separator") ? e.scalar("scope-separator", fields.get("scope-separator")) : " ";
        if (scopeSeparator.isEmpty()) {
            throw e.fail("scope-separator", "must not be empty");
        }
        String clientAuth = fields.containsKey("client-auth") ? e.scalar("client-auth", fields.get("client-auth")) : "basic";
        ClientAuthStyle style;
        try {
            style = ClientAuthStyle.valueOf(clientAuth.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException ex) {
            throw e.fail("client-auth", "must be 'basic' or 'post'");
        }
        return new ProviderDefinition(key,
                e.required(fields, "name"),
                e.url(fields, "authorize-url", true),
                e.url(fields, "token-url", true),
                e.url(fields, "revoke-url", false),
                e.scopes(fields),
                scopeSeparator,
                e.bool(fields, "pkce", false),
                Map.copyOf(params),
                style,
                e.bool(fields, "refresh-rotates", false),
                devOnly);
    }

    /** Field access for one entry, with messages that name it. */
    private record Entry(String source, String key, UnaryOperator<String> placeholders) {

        ProviderCatalogException fail(String field, String problem) {
            return new ProviderCatalogException("Provider catalog " + source + ": entry '" + key + "', field '"
                    + field + "' " + problem);
        }

        String scalar(String field, Object v) {
            if (v instanceof String || v instanceof Number || v instanceof Boolean) {
                try {
                    return placeholders.apply(v.toString());
                } catch (RuntimeException ex) {
                    throw fail(field, "has a placeholder that cannot be resolved");
                }
            }
            throw fail(field, "must be a single value");
        }

        String required(Map<String, Object> fields, String field) {
            Object v = fields.get(field);
            if (v == null) {
                throw fail(field, "is required");
            }
            String s = scalar(field, v).trim();
            if (s.isEmpty()) {
                throw fail(field, "is required");
            }
            return s;
        }

        @Nullable
        String url(Map<String, Object> fields, String field, boolean required) {
            if (!required && fields.get(field) == null) {
                return null;
            }
            String s = required(fields, field);
            try {
                URI u = URI.create(s);
                if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null
                        && u.getFragment() == null) {
                    return s;
                }
            } catch (IllegalArgumentException ignored) {
                // reported below
            }
            throw fail(field, "must be an absolute http(s) URL");
        }

        boolean bool(Map<String, Object> fields, String field, boolean dflt) {
            Object v = fields.get(field);
            if (v == null) {
                return dflt;
            }
            if (v instanceof Boolean b) {
                return b;
            }
            throw fail(field, "must be true or false");
        }

        List<String> scopes(Map<String, Object> fields) {
            Object v = fields.get("scopes");
            if (v == null) {
                return List.of();
            }
            if (!(v instanceof List<?> list)) {
                throw fail("scopes", "must be a list");
            }
            List<String> out = new ArrayList<>();
            for (Object o : list) {
                String s = o == null ? "" : scalar("scopes", o).trim();
                if (s.isEmpty() || s.chars().anyMatch(Character::isWhitespace)) {
                    throw fail("scopes", "must hold non-empty scopes without spaces");
                }
                out.add(s);
            }
            return List.copyOf(out);
        }
    }
}
