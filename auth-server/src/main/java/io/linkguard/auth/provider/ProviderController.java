package io.linkguard.auth.provider;

import io.micronaut.context.env.Environment;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Comparator;
import java.util.List;

/**
 * The catalog as the dashboard shows it: which providers exist and whether this deployment has
 * client credentials for them (an org can still bring its own {@code oauth_app}). No secrets.
 */
@Controller("/api/providers")
@Secured(SecurityRule.IS_ANONYMOUS)
class ProviderController {

    @Serdeable
    record ProviderView(String key, String name, boolean configured, boolean pkce) {
    }

    private final ProviderCatalog catalog;
    private final Environment environment;

    ProviderController(ProviderCatalog catalog, Environment environment) {
        this.catalog = catalog;
        this.environment = environment;
    }

    @Get
    List<ProviderView> list() {
        return catalog.all().stream()
                .map(p -> new ProviderView(p.key(), p.name(), environment.getProperty("linkguard.providers." + p.key() + ".client-id",
                        String.class).filter(v -> !v.isBlank()).isPresent(), p.pkce()))
                .sorted(Comparator.comparing(ProviderView::name))
                .toList();
    }
}
