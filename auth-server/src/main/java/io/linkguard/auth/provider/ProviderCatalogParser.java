package io.linkguard.auth.provider;

import io.micronaut.context.env.yaml.YamlPropertySourceLoader;
import io.micronaut.core.annotation.Nullable;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.DuplicateKeyException;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.ByteArrayInputStream;
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
    private static final Pattern PARAM_NAME = Pattern.compile("[a-z][a-z0-9_]{0,31}");
    private static final Set<String> FIELDS = Set.of("name", "authorize-url", "token-url", "revoke-url", "refresh-url",
            "scopes", "scope-separator", "pkce", "authorize-params", "client-auth", "token-body", "refresh-rotates",
            "tokens-expire", "errors-in-ok-body", "connection-params", "dev-only");

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
            byte[] text = in.readAllBytes();
            rejectDuplicateKeys(source, text);
            flat = new YamlPropertySourceLoader().read(source, new ByteArrayInputStream(text));
        } catch (ProviderCatalogException e) {
            throw e;
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
        Map<String, String> connectionParams = new TreeMap<>();
        for (Map.Entry<String, Object> f : fields.entrySet()) {
            String name = f.getKey();
            if (name.startsWith("authorize-params.")) {
                params.put(name.substring("authorize-params.".length()), e.scalar(name, f.getValue()));
            } else if (name.startsWith("connection-params.")) {
                String param = name.substring("connection-params.".length());
                if (!PARAM_NAME.matcher(param).matches()) {
                    throw e.fail(name, "must be a lower-case name (letters, digits, '_')");
                }
                String label = e.scalar(name, f.getValue()).trim();
                if (label.isEmpty()) {
                    throw e.fail(name, "needs a label telling the user what to enter");
                }
                connectionParams.put(param, label);
            } else if (!FIELDS.contains(name)) {
                throw e.fail(name, "is not a known field");
            }
        }
        if (fields.get("authorize-params") instanceof Map<?, ?> m && !m.isEmpty()) {
            throw e.fail("authorize-params", "must be a map of strings");
        }
        if (fields.containsKey("connection-params") && !(fields.get("connection-params") instanceof Map<?, ?> cm && cm.isEmpty())) {
            throw e.fail("connection-params", "must be a map of parameter name to label");
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
        String tokenBody = fields.containsKey("token-body") ? e.scalar("token-body", fields.get("token-body")) : "form";
        TokenBodyFormat bodyFormat;
        try {
            bodyFormat = TokenBodyFormat.valueOf(tokenBody.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException ex) {
            throw e.fail("token-body", "must be 'form' or 'json'");
        }
        String authorizeUrl = e.url(fields, "authorize-url", true, connectionParams);
        String tokenUrl = e.url(fields, "token-url", true, connectionParams);
        String revokeUrl = e.url(fields, "revoke-url", false, connectionParams);
        String refreshUrl = e.url(fields, "refresh-url", false, connectionParams);
        // Every declared parameter must be used, so the connect page never asks for a value that goes nowhere.
        Set<String> used = new java.util.HashSet<>();
        for (String u : java.util.Arrays.asList(authorizeUrl, tokenUrl, revokeUrl, refreshUrl)) {
            if (u != null) {
                ProviderDefinition.PLACEHOLDER.matcher(u).results().forEach(r -> used.add(r.group(1)));
            }
        }
        for (String declared : connectionParams.keySet()) {
            if (!used.contains(declared)) {
                throw e.fail("connection-params." + declared, "is not used in any URL");
            }
        }
        return new ProviderDefinition(key,
                e.required(fields, "name"),
                authorizeUrl,
                tokenUrl,
                revokeUrl,
                refreshUrl,
                e.scopes(fields),
                scopeSeparator,
                e.bool(fields, "pkce", false),
                Map.copyOf(params),
                style,
                bodyFormat,
                e.bool(fields, "refresh-rotates", false),
                e.bool(fields, "tokens-expire", true),
                e.bool(fields, "errors-in-ok-body", false),
                Map.copyOf(connectionParams),
                devOnly);
    }

    /**
     * The flattened reading below would let a second {@code github:} silently win over the first;
     * a duplicate key is almost always a copy-paste slip, so it is an error, in the built-in file
     * and in a deployment's.
     */
    private static void rejectDuplicateKeys(String source, byte[] text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        try {
            new Yaml(new SafeConstructor(options)).load(new ByteArrayInputStream(text));
        } catch (DuplicateKeyException ex) {
            throw new ProviderCatalogException("Provider catalog " + source + ": duplicate key '"
                    + ex.getProblem().replaceAll(".*found duplicate key ", "").trim() + "'");
        } catch (YAMLException ex) {
            throw new ProviderCatalogException("Provider catalog " + source + " is not valid YAML");
        }
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
        String url(Map<String, Object> fields, String field, boolean required, Map<String, String> declared) {
            if (!required && fields.get(field) == null) {
                return null;
            }
            String s = required(fields, field);
            // Placeholders must be declared; for the syntax check each one is replaced by a sample value.
            var m = ProviderDefinition.PLACEHOLDER.matcher(s);
            while (m.find()) {
                if (!declared.containsKey(m.group(1))) {
                    throw fail(field, "uses {" + m.group(1) + "}, which is not declared in connection-params");
                }
            }
            String sample = m.replaceAll("tenant");
            if (sample.indexOf('{') >= 0 || sample.indexOf('}') >= 0) {
                throw fail(field, "has a malformed placeholder (use {lower_case_name})");
            }
            try {
                URI u = URI.create(sample);
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
