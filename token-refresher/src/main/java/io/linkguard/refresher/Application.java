package io.linkguard.refresher;

import io.micronaut.runtime.Micronaut;

/** token-refresher. */
public class Application {

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
