package io.linkguard.http;

import java.util.regex.Pattern;

/**
 * A request path as it may be written to a log. One-time connect tokens travel in the path
 * ({@code /connect/{token}}): whoever reads the logs within the token's lifetime could otherwise
 * use it, so that segment is masked everywhere a path is logged.
 */
public final class LoggedPath {

    private static final Pattern CONNECT_TOKEN = Pattern.compile("^/connect/(?!callback$)[^/]+");

    private LoggedPath() {
    }

    /**
     * @param path a request path (without query)
     * @return the path with secrets masked
     */
    public static String of(String path) {
        return CONNECT_TOKEN.matcher(path).replaceFirst("/connect/***");
    }
}
