package io.linkguard.refresher;

import io.linkguard.http.tracing.TracingDefaults;
import io.micronaut.runtime.Micronaut;

/** token-refresher. */
public class Application {

    public static void main(String[] args) {
        TracingDefaults.apply();
        Micronaut.run(Application.class, args);
    }
}
