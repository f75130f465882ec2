package dev.petlet.sandbox.binaries;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Kubernetes versions petlet knows how to run, and the versions of what goes with each. */
public final class KubernetesVersions {
    /** The version the sandbox runs unless told otherwise. */
    public static final String DEFAULT = "v1.33.13";

    private static final Pattern FORMAT = Pattern.compile("v1\\.(\\d+)\\.(\\d+)");

    // The etcd release that Kubernetes paired with each minor release.
    private static final Map<Integer, String> ETCD_BY_MINOR =
            Map.of(33, "v3.5.21", 32, "v3.5.16", 31, "v3.5.15", 30, "v3.5.12");
    private static final String NEWEST_ETCD = "v3.5.21";

    private KubernetesVersions() {}

    /**
     * Returns {@code version} if it has the form {@code v1.MINOR.PATCH}.
     *
     * @throws IllegalArgumentException with a sentence for the user otherwise
     */
    public static String validate(String version) {
        parse(version);
        return version;
    }

    static int minor(String version) {
        return Integer.parseInt(parse(version).group(1));
    }

    /** The etcd release to pair with {@code version}; unknown minors get the newest one petlet knows. */
    static String etcdFor(String version) {
        return ETCD_BY_MINOR.getOrDefault(minor(version), NEWEST_ETCD);
    }

    /** The version of the k8s.io staging modules (k8s.io/api and friends) released with {@code version}. */
    static String stagingVersion(String version) {
        Matcher matcher = parse(version);
        return "v0." + matcher.group(1) + "." + matcher.group(2);
    }

    private static Matcher parse(String version) {
        Matcher matcher = FORMAT.matcher(version == null ? "" : version);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("Kubernetes version '" + version
                    + "' is not of the form v1.MINOR.PATCH; give a release such as " + DEFAULT + ".");
        }
        return matcher;
    }
}
