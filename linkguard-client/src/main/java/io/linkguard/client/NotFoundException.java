package io.linkguard.client;

import java.util.Map;

/**
 * 404: no such connection or user — or one of another org, which Linkguard answers the same way so
 * that ids of other orgs cannot be probed.
 */
public class NotFoundException extends LinkguardException {

    private static final long serialVersionUID = 1L;

    /**
     * @param status     the HTTP status (404)
     * @param type       the problem type URI
     * @param title      the problem's title
     * @param detail     the problem's detail
     * @param extensions the problem's further members
     */
    public NotFoundException(int status, String type, String title, String detail, Map<String, Object> extensions) {
        super(status, type, title, detail, extensions);
    }
}
