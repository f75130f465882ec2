package dev.petlet.core.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a pod's init container statuses (in spec order) mean for the pod, as the kubelet's
 * getPhase and GeneratePodInitializedCondition read them. kubectl derives its Init:N/M,
 * Init:Error and Init:CrashLoopBackOff columns from the same statuses.
 */
final class InitContainerStatuses {
    static final String POD_INITIALIZING = "PodInitializing";

    private final List<Container> specs;
    private final Map<String, ContainerStatus> byName;

    InitContainerStatuses(Pod pod, List<ContainerStatus> statuses) {
        this.specs = InitContainerPlanner.initContainers(pod);
        this.byName = statuses.stream().collect(Collectors.toMap(ContainerStatus::getName, Function.identity()));
    }

    /** A completed init container reports ready, as the kubelet's prober manager sets it. */
    static ContainerStatus readiness(Container spec, ContainerStatus status) {
        if (InitContainerPlanner.isSidecar(spec)) {
            return status;
        }
        var terminated = status.getState().getTerminated();
        return new ContainerStatusBuilder(status)
                .withReady(terminated != null && terminated.getExitCode() == 0)
                .build();
    }

    /** The init containers that keep the pod from being Initialized. */
    List<String> incomplete() {
        List<String> names = new ArrayList<>();
        for (Container spec : specs) {
            ContainerStatus status = byName.get(spec.getName());
            if (status == null) {
                names.add(spec.getName());
            } else if (InitContainerPlanner.isSidecar(spec)) {
                if (!Boolean.TRUE.equals(status.getStarted())) {
                    names.add(spec.getName());
                }
            } else if (status.getState().getTerminated() == null
                    || status.getState().getTerminated().getExitCode() != 0) {
                names.add(spec.getName());
            }
        }
        return names;
    }

    /** The statuses of the native sidecars, which count in ContainersReady with the app containers. */
    List<ContainerStatus> sidecars() {
        return specs.stream()
                .filter(InitContainerPlanner::isSidecar)
                .map(spec -> byName.get(spec.getName()))
                .filter(java.util.Objects::nonNull)
                .toList();
    }

    /**
     * The pod phase given the phase its app containers alone would give. A sidecar that is not
     * started keeps the pod Pending only until an app container has run (the kubelet's
     * HasAnyRegularContainerStarted): a sidecar restarting later does not send the pod back.
     */
    String phase(String appPhase, String restartPolicy, List<ContainerStatus> appStatuses) {
        boolean appStarted = appStatuses.stream()
                .anyMatch(s -> s.getState().getRunning() != null
                        || s.getState().getTerminated() != null
                        || s.getLastState() != null && s.getLastState().getTerminated() != null);
        int pending = 0;
        int failed = 0;
        for (Container spec : specs) {
            ContainerStatus status = byName.get(spec.getName());
            if (status == null) {
                pending++;
                continue;
            }
            var state = status.getState();
            var last =
                    status.getLastState() == null ? null : status.getLastState().getTerminated();
            if (InitContainerPlanner.isSidecar(spec)) {
                boolean notStarted = state.getRunning() != null && !Boolean.TRUE.equals(status.getStarted())
                        || state.getWaiting() != null && last == null;
                pending += notStarted && !appStarted ? 1 : 0;
            } else if (state.getRunning() != null) {
                pending++;
            } else if (state.getTerminated() != null) {
                failed += state.getTerminated().getExitCode() != 0 ? 1 : 0;
            } else if (last != null) {
                failed += last.getExitCode() != 0 ? 1 : 0;
            } else {
                pending++;
            }
        }
        if (failed > 0 && "Never".equals(restartPolicy)) {
            return PodPhases.FAILED;
        }
        if (pending > 0 || failed > 0) {
            return PodPhases.PENDING;
        }
        return appPhase;
    }
}
