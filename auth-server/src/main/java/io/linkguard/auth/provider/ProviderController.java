package io.linkguard.auth.provider;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.context.env.Environment;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The catalog as the dashboard shows it: which providers exist and whether this deployment has
 * client credentials for them (an org can still bring its own {@code oauth_app}). No secrets.
 * {@code connectionParams}: what a per-tenant provider needs from whoever connects (name → label),
 * to be sent back as {@code connectionParams} when creating the auth profile.
 */
@Controller("/api/providers")
@Secured(SecurityRule.IS_ANONYMOUS)
class ProviderController {

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS) // an empty connectionParams is shown, not left out
    record ProviderView(String key, String name, boolean configured, boolean pkce, Map<String, String> connectionParams) {
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
                        String.class).filter(v -> !v.isBlank()).isPresent(), p.pkce(), p.connectionParams()))
                .sorted(Comparator.comparing(ProviderView::name))
                .toList();
    }
}
