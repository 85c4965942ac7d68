package io.linkguard.refresher.config;

import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.value.PropertyResolver;
import jakarta.inject.Singleton;

import java.util.Locale;

/**
 * Settings with a default and a value per provider key: the request budget all replicas share
 * ({@code LINKGUARD_REFRESHER_BUDGET_DEFAULT}, {@code LINKGUARD_REFRESHER_BUDGET_<KEY>}, requests per
 * second, 20) and the requests one replica may have open at a provider
 * ({@code LINKGUARD_REFRESHER_IN_FLIGHT_DEFAULT}, {@code LINKGUARD_REFRESHER_IN_FLIGHT_<KEY>}, 64).
 * The defaults are checked at start-up; a provider's own value when it is first used.
 */
@Singleton
public class PerProviderSettings {

    private final PropertyResolver properties;

    PerProviderSettings(PropertyResolver properties) {
        this.properties = properties;
        budget("default");
        inFlight("default");
    }

    /** @return requests per second all replicas together may send to the provider's token endpoint */
    public double budget(String providerKey) {
        double rate = value("budget", providerKey, 20.0);
        if (!(rate >= 0.1)) {
            throw invalid("budget", providerKey, "at least 0.1 requests per second");
        }
        return rate;
    }

    /** @return requests this replica may have open at the provider at once */
    public int inFlight(String providerKey) {
        double n = value("in-flight", providerKey, 64);
        if (n < 1 || n != Math.rint(n)) {
            throw invalid("in-flight", providerKey, "a whole number, at least 1");
        }
        return (int) n;
    }

    private double value(String setting, String providerKey, double fallback) {
        String prefix = "linkguard.refresher." + setting + ".";
        return properties.getProperty(prefix + providerKey, Double.class)
                .or(() -> properties.getProperty(prefix + "default", Double.class))
                .orElse(fallback);
    }

    private static ConfigurationException invalid(String setting, String providerKey, String expected) {
        return new ConfigurationException("LINKGUARD_REFRESHER_" + setting.replace('-', '_').toUpperCase(Locale.ROOT) + "_"
                + providerKey.replace('-', '_').toUpperCase(Locale.ROOT) + " must be " + expected);
    }
}
