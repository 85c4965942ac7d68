package io.linkguard.gateway;

import io.micronaut.runtime.Micronaut;

/** api-gateway. */
public class Application {

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
