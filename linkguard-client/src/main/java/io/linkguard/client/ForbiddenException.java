package io.linkguard.client;

import java.util.Map;

/**
 * 403: the worker's token is valid but may not do this — usually a scope it was not given
 * (reports need {@code health:report}, tokens and connection look-ups {@code tokens:read}).
 */
public class ForbiddenException extends LinkguardException {

    private static final long serialVersionUID = 1L;

    /**
     * @param status     the HTTP status (403)
     * @param type       the problem type URI
     * @param title      the problem's title
     * @param detail     the problem's detail
     * @param extensions the problem's further members
     */
    public ForbiddenException(int status, String type, String title, String detail, Map<String, Object> extensions) {
        super(status, type, title, detail, extensions);
    }
}
