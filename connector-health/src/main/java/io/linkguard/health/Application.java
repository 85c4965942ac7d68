package io.linkguard.health;

import io.linkguard.http.tracing.TracingDefaults;
import io.micronaut.runtime.Micronaut;

/** connector-health: per (user, connector) health, its history, and the automation pause switch. */
public class Application {

    public static void main(String[] args) {
        TracingDefaults.apply();
        Micronaut.run(Application.class, args);
    }
}
