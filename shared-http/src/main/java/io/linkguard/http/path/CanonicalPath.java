package io.linkguard.http.path;

import io.micronaut.core.annotation.Nullable;

import java.util.Set;

/**
 * Whether a raw (still percent-encoded) request path is in the one form every rule of ours is written
 * against. Policy and routing match paths as text; the frameworks behind them forgive more (a trailing
 * slash, an empty segment, {@code ..}, an encoded slash decoded later), so two spellings of one resource
 * could reach it with only one of them checked. A path is canonical when it
 * <ul>
 *   <li>starts with {@code /} and has no empty segment ({@code //}) and no {@code .} or {@code ..} segment;</li>
 *   <li>ends with {@code /} only when it is {@code /} or one of the allowed paths;</li>
 *   <li>has only visible ASCII, no backslash, and well-formed percent-encodings, none of which encodes a
 *       slash, backslash, percent sign, control character or an unreserved character (letters, digits,
 *       {@code - . _ ~}: RFC 3986 §6.2.2.2 says those are never encoded; {@code %2e} would be a hidden dot).</li>
 * </ul>
 */
public final class CanonicalPath {

    private CanonicalPath() {
    }

    /**
     * @param rawPath              the path as received, without the query
     * @param trailingSlashAllowed paths that may end with a slash besides {@code /}
     * @return why the path is not canonical, or null when it is
     */
    @Nullable
    public static String violation(@Nullable String rawPath, Set<String> trailingSlashAllowed) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            return "must start with /";
        }
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '\\') {
                return "contains a character that must not appear in a path";
            }
            if (c == '%') {
                if (i + 2 >= rawPath.length() || hex(rawPath.charAt(i + 1)) < 0 || hex(rawPath.charAt(i + 2)) < 0) {
                    return "contains a malformed percent-encoding";
                }
                int b = hex(rawPath.charAt(i + 1)) * 16 + hex(rawPath.charAt(i + 2));
                if (b < 0x20 || b >= 0x7f || b == '/' || b == '\\' || b == '%' || unreserved(b)) {
                    return "contains an encoded character that must appear as itself or not at all";
                }
                i += 2;
            }
        }
        if (rawPath.contains("//")) {
            return "contains an empty segment";
        }
        for (String segment : rawPath.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return "contains a dot segment";
            }
        }
        if (rawPath.length() > 1 && rawPath.endsWith("/") && !trailingSlashAllowed.contains(rawPath)) {
            return "ends with a slash";
        }
        return null;
    }

    private static boolean unreserved(int b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                || b == '-' || b == '.' || b == '_' || b == '~';
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
