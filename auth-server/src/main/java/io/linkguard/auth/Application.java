package io.linkguard.auth;

import io.linkguard.http.tracing.TracingDefaults;
import io.micronaut.runtime.Micronaut;

/** auth-server. */
public class Application {

    public static void main(String[] args) {
        TracingDefaults.apply();
        Micronaut.run(Application.class, args);
    }
}
