package dev.petlet.sandbox.pki;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * What the sandbox's certificates must cover.
 *
 * <p>The apiserver serving certificate always also names {@code kubernetes},
 * {@code kubernetes.default}, {@code kubernetes.default.svc} and
 * {@code kubernetes.default.svc.cluster.local}; {@code apiserverIpAddresses} should include the
 * address clients dial and the first address of the service range (the {@code kubernetes}
 * service's cluster IP), because nothing here knows that range.
 *
 * @param apiserverDnsNames extra DNS names for the apiserver serving certificate
 * @param apiserverIpAddresses IP addresses for the apiserver serving certificate
 * @param leafValidity lifetime of every non-CA certificate, capped at its CA's expiry
 * @param caValidity lifetime of the cluster CA and the front-proxy CA
 */
public record PkiSpec(
        List<String> apiserverDnsNames,
        List<InetAddress> apiserverIpAddresses,
        Duration leafValidity,
        Duration caValidity) {

    public PkiSpec {
        apiserverDnsNames = List.copyOf(requireNonNull(apiserverDnsNames, "apiserverDnsNames"));
        apiserverIpAddresses = List.copyOf(requireNonNull(apiserverIpAddresses, "apiserverIpAddresses"));
        requireNonNull(leafValidity, "leafValidity");
        requireNonNull(caValidity, "caValidity");
        if (leafValidity.isNegative() || leafValidity.isZero()) {
            throw new IllegalArgumentException("leafValidity must be positive, got " + leafValidity);
        }
        if (caValidity.isNegative() || caValidity.isZero()) {
            throw new IllegalArgumentException("caValidity must be positive, got " + caValidity);
        }
    }
}
