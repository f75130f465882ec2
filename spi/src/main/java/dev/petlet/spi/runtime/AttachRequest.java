package dev.petlet.spi.runtime;

/**
 * Which streams of a container's main process {@link ContainerRuntime#attach} connects. Whether there is a
 * terminal was decided when the container was created ({@link ContainerConfig#tty()}).
 *
 * @param stdin whether to connect {@link StreamSession#stdin()}; the container must have been created with
 *     {@link ContainerConfig#stdin()}
 * @param stdout whether to deliver standard output
 * @param stderr whether to deliver standard error
 */
public record AttachRequest(boolean stdin, boolean stdout, boolean stderr) {}
