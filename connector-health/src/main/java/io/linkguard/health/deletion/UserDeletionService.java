package io.linkguard.health.deletion;

import io.linkguard.http.security.UserDirectory;
import jakarta.inject.Singleton;

import java.util.UUID;

/** A user deleted at auth-server: their rows go here, and so does what this service remembers of them. */
@Singleton
class UserDeletionService {

    private final UserDataRepository data;
    private final UserDirectory users;

    UserDeletionService(UserDataRepository data, UserDirectory users) {
        this.data = data;
        this.users = users;
    }

    /**
     * Idempotent: auth-server repeats the delivery until it gets a 2xx.
     *
     * @param userId the deleted user
     */
    void delete(UUID userId) {
        data.deleteUser(userId);
        // the cached org would otherwise let a late report through for up to the cache's lifetime
        users.forget(userId);
    }
}
