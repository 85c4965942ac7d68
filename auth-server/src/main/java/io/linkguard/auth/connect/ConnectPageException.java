package io.linkguard.auth.connect;

/**
 * The connect flow runs in the user's browser, so its failures are HTML pages with plain words,
 * not problem+json. Title and message are fixed texts chosen here, never a library's message.
 */
final class ConnectPageException extends RuntimeException {

    final int status;
    final String title;
    final String body;

    ConnectPageException(int status, String title, String body) {
        super(title, null, false, false);
        this.status = status;
        this.title = title;
        this.body = body;
    }
}
