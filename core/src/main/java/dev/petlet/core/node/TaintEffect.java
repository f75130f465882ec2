package dev.petlet.core.node;

import java.util.Arrays;
import java.util.Optional;

/** What a taint does to pods that do not tolerate it. */
public enum TaintEffect {
    NO_SCHEDULE("NoSchedule"),
    PREFER_NO_SCHEDULE("PreferNoSchedule"),
    NO_EXECUTE("NoExecute");

    private final String apiValue;

    TaintEffect(String apiValue) {
        this.apiValue = apiValue;
    }

    /** The value of a taint's {@code effect} field, e.g. {@code NoSchedule}. */
    public String apiValue() {
        return apiValue;
    }

    /** The effect with this API value, matched exactly as the API server does. */
    public static Optional<TaintEffect> fromApiValue(String value) {
        return Arrays.stream(values()).filter(e -> e.apiValue.equals(value)).findFirst();
    }
}
