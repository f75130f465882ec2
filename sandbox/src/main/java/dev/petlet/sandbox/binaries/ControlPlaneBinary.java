package dev.petlet.sandbox.binaries;

import java.util.Collection;
import java.util.List;

/** The four executables a control plane needs, in the order they are listed to users. */
enum ControlPlaneBinary {
    ETCD("etcd"),
    KUBE_APISERVER("kube-apiserver"),
    KUBE_CONTROLLER_MANAGER("kube-controller-manager"),
    KUBE_SCHEDULER("kube-scheduler");

    /** The three that come from the Kubernetes release (etcd comes from its own project). */
    static final List<ControlPlaneBinary> KUBERNETES = List.of(KUBE_APISERVER, KUBE_CONTROLLER_MANAGER, KUBE_SCHEDULER);

    private final String fileName;

    ControlPlaneBinary(String fileName) {
        this.fileName = fileName;
    }

    String fileName() {
        return fileName;
    }

    /** "etcd", "etcd and kube-scheduler", "etcd, kube-apiserver and kube-scheduler": for sentences. */
    static String names(Collection<ControlPlaneBinary> binaries) {
        List<String> names =
                binaries.stream().sorted().map(ControlPlaneBinary::fileName).toList();
        if (names.size() <= 1) {
            return String.join("", names);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.getLast();
    }
}
