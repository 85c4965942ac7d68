package io.linkguard.http.path;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class CanonicalPathTest {

    static final Set<String> APP = Set.of("/app/");

    @Test
    void violationWhenCanonicalThenNull() {
        for (String path : List.of("/", "/app/", "/app/index.html", "/api/connectors/3f2a/status", "/oauth/token",
                "/.well-known/openid-configuration", "/connect/abc-DEF_123", "/api/auth-profiles/a%20b", "/x/%40",
                "/a/.b/c..d/...")) {
            assertThat(CanonicalPath.violation(path, APP)).as(path).isNull();
        }
    }

    @Test
    void violationWhenNotCanonicalThenReason() {
        for (String path : List.of("", "api", "/api/connectors/1/status/", "/reconnect/x/", "/api//connectors",
                "//api", "/api/./x", "/api/../internal/users/1", "/api/..", "/api/.", "/api/%2e%2e/internal",
                "/api/%2E/x", "/api%2Fconnectors", "/api%2fx", "/api%5Cx", "/api%5cx", "/api\\x", "/a%00b", "/a%0ab",
                "/a%25b", "/a%2", "/a%zz", "/%63onnectors", "/a%7Eb", "/a b", "/a\u00e9")) {
            assertThat(CanonicalPath.violation(path, APP)).as(path).isNotNull();
        }
        assertThat(CanonicalPath.violation("/app/", Set.of())).isNotNull();
    }
}
