package dev.petlet.testing.fake;

import dev.petlet.spi.runtime.ContainerRuntime;
import dev.petlet.testing.conformance.ContainerLifecycleConformance;
import dev.petlet.testing.conformance.EventsConformance;
import dev.petlet.testing.conformance.ExecConformance;
import dev.petlet.testing.conformance.ImagesConformance;
import dev.petlet.testing.conformance.LogsConformance;
import dev.petlet.testing.conformance.PodSandboxConformance;
import org.junit.jupiter.api.Nested;

/** The in-memory runtime passes the whole runtime conformance kit. */
class InMemoryContainerRuntimeTest {
    static ContainerRuntime runtime() {
        return InMemoryContainerRuntime.withBusybox();
    }

    @Nested
    class Sandboxes extends PodSandboxConformance {
        @Override
        protected ContainerRuntime createRuntime() {
            return runtime();
        }
    }

    @Nested
    class Containers extends ContainerLifecycleConformance {
        @Override
        protected ContainerRuntime createRuntime() {
            return runtime();
        }
    }

    @Nested
    class Exec extends ExecConformance {
        @Override
        protected ContainerRuntime createRuntime() {
            return runtime();
        }
    }

    @Nested
    class Logs extends LogsConformance {
        @Override
        protected ContainerRuntime createRuntime() {
            return runtime();
        }
    }

    @Nested
    class Events extends EventsConformance {
        @Override
        protected ContainerRuntime createRuntime() {
            return runtime();
        }
    }

    @Nested
    class Images extends ImagesConformance {
        @Override
        protected ContainerRuntime createRuntime() {
            return runtime();
        }
    }
}
