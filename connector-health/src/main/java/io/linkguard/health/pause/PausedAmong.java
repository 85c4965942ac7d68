package io.linkguard.health.pause;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.UUID;

/**
 * @param operatorPaused the operator's switch (then every user counts as paused)
 * @param paused         the asked users whose automation is paused, by the operator or themselves
 */
@Serdeable
record PausedAmong(boolean operatorPaused, List<UUID> paused) {
}
