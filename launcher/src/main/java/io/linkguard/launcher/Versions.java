package io.linkguard.launcher;

final class Versions {
    static final String PROJECT = "0.1.0-SNAPSHOT";

    private Versions() {
    }
}
