package dev.petlet.provider.podman;

import dev.petlet.spi.runtime.ContainerRuntime;
import dev.petlet.testing.conformance.ContainerLifecycleConformance;
import dev.petlet.testing.conformance.EventsConformance;
import dev.petlet.testing.conformance.ExecConformance;
import dev.petlet.testing.conformance.ImagesConformance;
import dev.petlet.testing.conformance.LogsConformance;
import dev.petlet.testing.conformance.PodSandboxConformance;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/** The Podman runtime passes the runtime conformance kit against the real Podman. */
class PodmanConformanceIT {
    @BeforeAll
    static void startPodman() throws Exception {
        PodmanTestBase.startPodman();
    }

    static ContainerRuntime runtime() throws Exception {
        return new PodmanPlugin()
                .runtimes()
                .getFirst()
                .create(Map.of(), TestProviderContext.in(Files.createTempDirectory("podman-conformance")));
    }

    @Nested
    class Sandboxes extends PodSandboxConformance {
        @Override
        protected ContainerRuntime createRuntime() throws Exception {
            return runtime();
        }
    }

    @Nested
    class Containers extends ContainerLifecycleConformance {
        @Override
        protected ContainerRuntime createRuntime() throws Exception {
            return runtime();
        }
    }

    @Nested
    class Exec extends ExecConformance {
        @Override
        protected ContainerRuntime createRuntime() throws Exception {
            return runtime();
        }
    }

    @Nested
    class Logs extends LogsConformance {
        @Override
        protected ContainerRuntime createRuntime() throws Exception {
            return runtime();
        }
    }

    @Nested
    class Events extends EventsConformance {
        @Override
        protected ContainerRuntime createRuntime() throws Exception {
            return runtime();
        }
    }

    @Nested
    class Images extends ImagesConformance {
        @Override
        protected ContainerRuntime createRuntime() throws Exception {
            return runtime();
        }
    }
}
