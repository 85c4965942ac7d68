package io.linkguard.testsupport;

import io.micronaut.context.ApplicationContext;

import java.util.Map;

/** Start-up checks for the settings tests: a service that must refuse to start, and why. */
public final class Startup {

    private Startup() {
    }

    /**
     * Starts an application context (environment {@code test}) that must fail.
     *
     * @param props the context's properties
     * @return every message of the failure's cause chain, one per line, to look for the variable it names
     * @throws AssertionError when the context starts
     */
    public static String failure(Map<String, Object> props) {
        Throwable failure = null;
        try (ApplicationContext ignored = ApplicationContext.run(props, "test")) {
            // started: that is the failure of the test
        } catch (RuntimeException e) {
            failure = e;
        }
        if (failure == null) {
            throw new AssertionError("start-up must fail with " + props.keySet());
        }
        StringBuilder messages = new StringBuilder();
        for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
            messages.append(c.getMessage()).append('\n');
        }
        return messages.toString();
    }
}
