package io.linkguard.auth.provider;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.env.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The provider catalog: the built-in entries ({@code linkguard/providers.yml}) plus the file named
 * by {@code linkguard.provider-catalog.file} ({@code LINKGUARD_PROVIDERS_FILE}), whose entries add to
 * or replace built-in ones. Loaded eagerly ({@link Context}) so a bad entry stops start-up.
 * Dev-only entries (the mock) are kept only when {@code linkguard.providers.<key>.base-url} is set,
 * so a production configuration never offers them.
 */
@Context
public class ProviderCatalog {

    static final String BUILT_IN = "linkguard/providers.yml";
    private static final Logger LOG = LoggerFactory.getLogger(ProviderCatalog.class);

    private final Map<String, ProviderDefinition> providers;

    ProviderCatalog(Environment environment, ProviderCatalogConfiguration config) {
        Map<String, ProviderDefinition> all = new LinkedHashMap<>();
        Predicate<String> devEnabled = key -> environment.getProperty("linkguard.providers." + key + ".base-url", String.class)
                .filter(s -> !s.isBlank()).isPresent();
        try (InputStream in = ProviderCatalog.class.getClassLoader().getResourceAsStream(BUILT_IN)) {
            if (in == null) {
                throw new ProviderCatalogException("Built-in provider catalog " + BUILT_IN + " is missing");
            }
            all.putAll(ProviderCatalogParser.parse(BUILT_IN, in, environment.getPlaceholderResolver()::resolveRequiredPlaceholders, devEnabled));
        } catch (IOException e) {
            throw new ProviderCatalogException("Built-in provider catalog " + BUILT_IN + " cannot be read");
        }
        if (config.hasFile()) {
            Path path = Path.of(config.file());
            try (InputStream in = Files.newInputStream(path)) {
                Map<String, ProviderDefinition> extra = ProviderCatalogParser.parse(path.toString(), in,
                        environment.getPlaceholderResolver()::resolveRequiredPlaceholders, devEnabled);
                all.putAll(extra);
                LOG.info("Provider catalog: {} entries from {}", extra.size(), path);
            } catch (IOException e) {
                throw new ProviderCatalogException("Provider catalog file " + path + " cannot be read");
            }
        }
        this.providers = Map.copyOf(all);
        LOG.info("Provider catalog: {}", all.keySet());
    }

    public Optional<ProviderDefinition> find(String key) {
        return Optional.ofNullable(key == null ? null : providers.get(key));
    }

    public Collection<ProviderDefinition> all() {
        return providers.values();
    }
}
