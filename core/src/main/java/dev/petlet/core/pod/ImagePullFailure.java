package dev.petlet.core.pod;

/** An image could not be made present; carries the kubelet's waiting reason and message. */
final class ImagePullFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient WaitingReason waiting;

    ImagePullFailure(String reason, String message) {
        super(message);
        this.waiting = new WaitingReason(reason, message);
    }

    WaitingReason waiting() {
        return waiting;
    }
}
