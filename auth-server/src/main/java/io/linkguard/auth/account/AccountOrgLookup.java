package io.linkguard.auth.account;

import io.linkguard.http.security.UserOrgLookup;
import jakarta.inject.Singleton;

import java.util.Optional;
import java.util.UUID;

/** auth-server owns users: the access policy reads a user's org straight from its own table. */
@Singleton
class AccountOrgLookup implements UserOrgLookup {

    private final AccountRepository accounts;

    AccountOrgLookup(AccountRepository accounts) {
        this.accounts = accounts;
    }

    @Override
    public Optional<UUID> orgOf(UUID userId) {
        return Optional.ofNullable(accounts.findById(userId)).map(UserAccount::orgId);
    }
}
