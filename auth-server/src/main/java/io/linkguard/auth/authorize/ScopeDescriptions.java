package io.linkguard.auth.authorize;

import java.util.Map;

/** What each scope lets an application do, in the words the consent page shows. */
final class ScopeDescriptions {

    private static final Map<String, String> PLAIN = Map.of(
            "connectors:read", "See the status of your connections",
            "profiles:write", "Add and remove your connections, and start connecting accounts",
            "automation:write", "Pause and resume your automation",
            "health:report", "Report sync results for people in your organization",
            "tokens:read", "Get access tokens for your organization's connected accounts",
            "admin", "Manage your organization: see everyone's connections, manage service accounts and remove people",
            "account:write", "Delete your Linkguard account and change your password",
            "internal", "Act as a Linkguard service");

    private ScopeDescriptions() {
    }

    /** @return the plain words for a scope; an unknown scope as itself */
    static String of(String scope) {
        return PLAIN.getOrDefault(scope, scope);
    }
}
