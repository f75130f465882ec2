package dev.petlet.testing;

import dev.petlet.sandbox.Sandbox;
import dev.petlet.sandbox.SandboxException;
import dev.petlet.sandbox.SandboxNode;
import dev.petlet.sandbox.SandboxOptions;
import dev.petlet.sandbox.SandboxPorts;
import dev.petlet.sandbox.binaries.KubernetesVersions;
import dev.petlet.sandbox.binaries.ResolverOptions;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one sandbox for all E2E classes of a test run (kept in the root store, stopped when the
 * run ends) and hands tests a {@link TestCluster}. It listens on ports of its own, so a user's
 * {@code petlet sandbox} on the default ports can keep running.
 */
public final class SandboxExtension implements ParameterResolver {
    /** Ports of the shared test sandbox, away from the defaults. */
    public static final SandboxPorts PORTS = new SandboxPorts(
            TestPorts.shift(16443),
            TestPorts.shift(12379),
            TestPorts.shift(20257),
            TestPorts.shift(20259),
            TestPorts.shift(18989));

    /** The shared sandbox node's kubelet API port, away from a user sandbox's 10250. */
    public static final int KUBELET_PORT = TestPorts.shift(20250);

    /** Where E2E tests run their image registry (plain HTTP, so the node's runtime is told it is insecure). */
    public static final String REGISTRY = "127.0.0.1:" + TestPorts.shift(15000);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestCluster.class || type == KubernetesClient.class || type == Kubectl.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        TestCluster cluster = extension
                .getRoot()
                .getStore(ExtensionContext.Namespace.create(SandboxExtension.class))
                .computeIfAbsent(SharedSandbox.class, key -> SharedSandbox.start(), SharedSandbox.class)
                .cluster();
        Class<?> type = parameter.getParameter().getType();
        if (type == KubernetesClient.class) {
            return cluster.client();
        }
        if (type == Kubectl.class) {
            return cluster.kubectl();
        }
        return cluster;
    }

    /** Binary resolution as {@code scripts/test} prepared it: the user cache, built from the checkout's go.mod. */
    public static ResolverOptions binaries() {
        return new ResolverOptions(
                KubernetesVersions.DEFAULT,
                Optional.empty(),
                Optional.ofNullable(System.getenv("PATH")).orElse(""),
                Path.of(System.getProperty("user.home"), ".cache", "petlet", "kubernetes"),
                URI.create("https://dl.k8s.io/release"),
                URI.create("https://github.com/etcd-io/etcd/releases/download"),
                Optional.of(Repository.root().resolve("sandbox/go")),
                "amd64");
    }

    /**
     * How the run's node agent runs, from the system property {@value #NODE_PROPERTY}: {@code in-process} (the
     * default: the sandbox runs it, as {@code petlet sandbox} does) or {@code distribution} (the unzipped
     * distribution zip from {@code petlet.distribution.zip}, with only the providers in {@code
     * petlet.e2e.providers}, joined like an external machine and run as the unprivileged user petlet with only
     * CAP_NET_ADMIN; see {@link DistributionNode}).
     */
    public static final String NODE_PROPERTY = "petlet.e2e.node";

    /** Stored in the root context: JUnit closes it when the whole run ends. */
    private record SharedSandbox(TestCluster cluster) implements AutoCloseable {
        static SharedSandbox start() {
            boolean external = "distribution".equals(System.getProperty(NODE_PROPERTY, "in-process"));
            Path temporary = Path.of(System.getProperty("java.io.tmpdir"));
            Map<String, String> runtimeConfig = Map.of("insecure-registries", REGISTRY);
            SandboxOptions options = new SandboxOptions(
                    temporary.resolve(TestPorts.suffixed(external ? "petlet-e2e-sandbox-dist" : "petlet-e2e-sandbox")),
                    PORTS,
                    binaries(),
                    Optional.empty(),
                    Duration.ofDays(365),
                    true,
                    external
                            ? Optional.empty()
                            : Optional.of(new SandboxNode(
                                    "podman",
                                    runtimeConfig,
                                    Duration.ofSeconds(60),
                                    KUBELET_PORT,
                                    LocalNfs.volumeDrivers(
                                            temporary.resolve(TestPorts.suffixed("petlet-e2e-nfs-mount"))))));
            Sandbox sandbox = null;
            try {
                sandbox = Sandbox.start(options, line -> System.out.println("[sandbox] " + line));
                KubernetesClient admin = sandbox.adminClient();
                if (!external) {
                    return new SharedSandbox(new TestCluster(
                            sandbox,
                            admin,
                            sandbox.adminKubeconfig(),
                            sandbox.nodeName().orElseThrow(),
                            Optional.empty()));
                }
                DistributionNode node = DistributionNode.start(
                        sandbox,
                        admin,
                        Path.of(requiredProperty("petlet.distribution.zip")),
                        Set.of(System.getProperty("petlet.e2e.providers", "podman")
                                .split(",")),
                        KUBELET_PORT,
                        runtimeConfig,
                        temporary.resolve(TestPorts.suffixed("petlet-e2e-node")));
                return new SharedSandbox(
                        new TestCluster(sandbox, admin, sandbox.adminKubeconfig(), node.nodeName(), Optional.of(node)));
            } catch (SandboxException e) {
                throw new ParameterResolutionException("the E2E sandbox did not start: " + e.getMessage(), e);
            } catch (IOException e) {
                if (sandbox != null) {
                    sandbox.close();
                }
                throw new UncheckedIOException(e);
            } catch (RuntimeException | AssertionError e) {
                if (sandbox != null) {
                    sandbox.close();
                }
                throw e;
            }
        }

        private static String requiredProperty(String name) {
            String value = System.getProperty(name);
            if (value == null || value.isBlank()) {
                throw new IllegalStateException(NODE_PROPERTY + "=distribution needs the system property " + name);
            }
            return value;
        }

        @Override
        public void close() {
            cluster.distributionNode().ifPresent(DistributionNode::close);
            cluster.client().close();
            cluster.sandbox().close();
        }
    }
}
