package io.linkguard.gateway.route;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The route template of a proxied path, for metric tags: ids and one-time tokens become
 * placeholders ({@code /api/connectors/{id}/status}, {@code /connect/{token}}), so a metric has
 * one series per route, not one per user. Paths are the client's, so the set is bounded: after
 * {@link #MAX} distinct templates, anything new is counted as {@code other}.
 */
final class RouteTemplates {

    static final int MAX = 200;
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern WORD = Pattern.compile("[a-z][a-z-]{0,30}|\\.well-known|[a-z-]+\\.json");
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    String of(String path) {
        if (path.startsWith("/connect/")) {
            return "/connect/{token}";
        }
        StringBuilder t = new StringBuilder();
        for (String segment : path.substring(1).split("/", -1)) {
            t.append('/');
            t.append(UUID.matcher(segment).matches() ? "{id}" : WORD.matcher(segment).matches() ? segment : "{value}");
        }
        String template = t.toString();
        if (seen.contains(template)) {
            return template;
        }
        if (seen.size() >= MAX) {
            return "other";
        }
        seen.add(template);
        return template;
    }
}
