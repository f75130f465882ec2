package dev.petlet.core.node;

import static java.util.Objects.requireNonNull;

import org.slf4j.Logger;

/**
 * Logs a retried activity for operators: one warning when it starts failing, one line when it works again, and
 * the retries in between at debug, so an API outage of an hour is two lines, not hundreds.
 */
final class OutageLog {
    private final Logger log;
    private final String activity;
    private int failures;

    OutageLog(Logger log, String activity) {
        this.log = requireNonNull(log, "log");
        this.activity = requireNonNull(activity, "activity");
    }

    void failed(Exception e) {
        failures++;
        if (failures == 1) {
            log.warn("{} failed, retrying with backoff: {}", activity, describe(e));
        } else {
            log.debug("{} failed again (attempt {}): {}", activity, failures, describe(e));
        }
    }

    void succeeded() {
        if (failures > 0) {
            log.info("{} works again after {} failed attempts", activity, failures);
        }
        failures = 0;
    }

    boolean failing() {
        return failures > 0;
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
