package dev.petlet.core.probe;

import static java.util.Objects.requireNonNull;

/**
 * The result of running a probe or hook handler once.
 *
 * @param success whether the check passed
 * @param output what the kubelet would report: the command's output, or why the check failed
 */
public record ProbeOutcome(boolean success, String output) {
    /** The most output kept, as the kubelet keeps at most 10 KiB of a probe's output. */
    static final int MAX_OUTPUT = 10 * 1024;

    public ProbeOutcome {
        requireNonNull(output, "output");
        if (output.length() > MAX_OUTPUT) {
            output = output.substring(0, MAX_OUTPUT);
        }
    }

    public static ProbeOutcome passed(String output) {
        return new ProbeOutcome(true, output);
    }

    public static ProbeOutcome failed(String output) {
        return new ProbeOutcome(false, output);
    }
}
