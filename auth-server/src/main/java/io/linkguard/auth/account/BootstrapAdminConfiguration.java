package io.linkguard.auth.account;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * The first org and owner of a deployment, created on first start when no owner exists yet
 * ({@code LINKGUARD_BOOTSTRAP_ADMIN_EMAIL}, {@code _PASSWORD} or {@code _PASSWORD_FILE}, {@code _ORG}).
 *
 * @param email        the owner's email; nothing is created without it
 * @param password     the initial password
 * @param passwordFile a file holding the initial password instead (a mounted secret); trailing newlines are ignored
 * @param org          the org's name
 */
@ConfigurationProperties("linkguard.bootstrap-admin")
public record BootstrapAdminConfiguration(@Nullable String email, @Nullable String password,
                                          @Nullable String passwordFile, @Nullable String org) {
}
