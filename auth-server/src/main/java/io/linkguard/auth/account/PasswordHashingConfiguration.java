package io.linkguard.auth.account;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Bounds on Argon2id work ({@code linkguard.auth.password-hashing.*}). Each hash takes 19 MiB
 * and tens of milliseconds of CPU; unbounded, a burst of sign-ins exhausts memory and stalls
 * every other request.
 *
 * @param maxConcurrent hashes computed at once; 0 (the default) means twice the processors
 * @param maxWait       how long a request waits for a free slot before answering 503
 */
@ConfigurationProperties("linkguard.auth.password-hashing")
public record PasswordHashingConfiguration(@Bindable(defaultValue = "0") int maxConcurrent,
                                           @Bindable(defaultValue = "2s") Duration maxWait) {

    int permits() {
        return maxConcurrent > 0 ? maxConcurrent : 2 * Runtime.getRuntime().availableProcessors();
    }
}
