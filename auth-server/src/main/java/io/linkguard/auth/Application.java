package io.linkguard.auth;

import io.micronaut.runtime.Micronaut;

/** auth-server. */
public class Application {

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
