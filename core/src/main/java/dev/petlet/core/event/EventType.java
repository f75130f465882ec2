package dev.petlet.core.event;

/** The two event types Kubernetes knows; {@code kubectl describe} shows warnings prominently. */
public enum EventType {
    NORMAL("Normal"),
    WARNING("Warning");

    private final String apiValue;

    EventType(String apiValue) {
        this.apiValue = apiValue;
    }

    /** The value of the Event's {@code type} field. */
    public String apiValue() {
        return apiValue;
    }
}
