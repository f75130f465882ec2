package dev.petlet.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks an E2E class that runs against the shared sandbox cluster; test methods and constructors
 * may take a {@link TestCluster}, a {@code KubernetesClient} or a {@code Kubectl} parameter.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(SandboxExtension.class)
public @interface SandboxE2E {}
