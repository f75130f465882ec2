package dev.petlet.core.pod;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the kubelet needs to know about an image name: is it valid, which registry serves it,
 * and does it name {@code latest} (which makes the default pull policy Always).
 */
record ImageReference(String reference, String registry, boolean latestOrUntagged) {
    // The distribution reference grammar, reduced: [domain/]path[:tag][@digest]. The first part
    // is a domain only if it has a dot or a port, or is localhost; path parts are lower case.
    private static final Pattern DOMAIN = Pattern.compile("^[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?(?::[0-9]+)?$");
    private static final Pattern PATH =
            Pattern.compile("^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
                    + "(?::[\\w][\\w.-]{0,127})?(?:@[a-z0-9]+:[a-fA-F0-9]{32,})?$");
    static final String DOCKER_HUB = "docker.io";

    static Optional<ImageReference> parse(String reference) {
        if (reference == null) {
            return Optional.empty();
        }
        String registry = DOCKER_HUB;
        String path = reference;
        int slash = reference.indexOf('/');
        if (slash > 0) {
            String first = reference.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                if (!DOMAIN.matcher(first).matches()) {
                    return Optional.empty();
                }
                registry = first.toLowerCase(Locale.ROOT);
                path = reference.substring(slash + 1);
            }
        }
        if (!PATH.matcher(path).matches()) {
            return Optional.empty();
        }
        String withoutDigest = reference.contains("@") ? reference.substring(0, reference.indexOf('@')) : reference;
        String lastPart = withoutDigest.substring(withoutDigest.lastIndexOf('/') + 1);
        boolean hasDigest = reference.contains("@");
        boolean latestOrUntagged = !hasDigest && (!lastPart.contains(":") || lastPart.endsWith(":latest"));
        return Optional.of(new ImageReference(reference, registry, latestOrUntagged));
    }
}
