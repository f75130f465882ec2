package dev.petlet.core.pod;

import static java.util.Objects.requireNonNull;

/**
 * Why a container is not running yet, as the kubelet reports it in {@code state.waiting}.
 *
 * @param reason one of the kubelet's reasons, e.g. {@code ImagePullBackOff}
 * @param message a sentence for the user; may be empty
 */
record WaitingReason(String reason, String message) {
    static final String CONTAINER_CREATING = "ContainerCreating";
    static final String CRASH_LOOP_BACK_OFF = "CrashLoopBackOff";
    static final String ERR_IMAGE_PULL = "ErrImagePull";
    static final String IMAGE_PULL_BACK_OFF = "ImagePullBackOff";
    static final String ERR_IMAGE_NEVER_PULL = "ErrImageNeverPull";
    static final String INVALID_IMAGE_NAME = "InvalidImageName";
    static final String CREATE_CONTAINER_CONFIG_ERROR = "CreateContainerConfigError";
    static final String CREATE_CONTAINER_ERROR = "CreateContainerError";
    static final String RUN_CONTAINER_ERROR = "RunContainerError";

    WaitingReason {
        requireNonNull(reason, "reason");
        requireNonNull(message, "message");
    }
}
