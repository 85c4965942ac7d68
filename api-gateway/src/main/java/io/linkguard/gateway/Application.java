package io.linkguard.gateway;

import io.linkguard.http.tracing.TracingDefaults;
import io.micronaut.runtime.Micronaut;

/** api-gateway. */
public class Application {

    public static void main(String[] args) {
        TracingDefaults.apply();
        Micronaut.run(Application.class, args);
    }
}
