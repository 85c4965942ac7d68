package io.linkguard.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LoggedPathTest {

    @Test
    void ofWhenConnectTokenInPathThenMasked() {
        assertThat(LoggedPath.of("/connect/AbC_123-xyz")).isEqualTo("/connect/***");
    }

    @Test
    void ofWhenOtherPathThenUnchanged() {
        assertThat(LoggedPath.of("/connect/callback")).isEqualTo("/connect/callback");
        assertThat(LoggedPath.of("/api/auth-profiles")).isEqualTo("/api/auth-profiles");
        assertThat(LoggedPath.of("/connect")).isEqualTo("/connect");
    }
}
