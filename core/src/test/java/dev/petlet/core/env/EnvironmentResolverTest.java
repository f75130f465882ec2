package dev.petlet.core.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnvironmentResolverTest {
    private static final PodFacts FACTS = new PodFacts(
            List.of("192.168.1.10"),
            List.of("10.88.0.5", "fd00::5"),
            Map.of("cpu", new Quantity("2"), "memory", new Quantity("4Gi")),
            Optional.empty());

    private final FakeObjects objects = new FakeObjects();
    private final EnvironmentResolver resolver = new EnvironmentResolver(objects);

    private static Pod pod(Container container) {
        return new PodBuilder()
                .withNewMetadata()
                .withName("web")
                .withNamespace("shop")
                .withUid("uid-1")
                .withLabels(Map.of("app", "web"))
                .withAnnotations(Map.of("note", "hi"))
                .endMetadata()
                .withNewSpec()
                .withNodeName("pet")
                .withServiceAccountName("builder")
                .withEnableServiceLinks(false)
                .withContainers(container)
                .endSpec()
                .build();
    }

    private static ContainerBuilder container() {
        return new ContainerBuilder().withName("app").withImage("busybox");
    }

    private ContainerEnvironment resolve(Container container) throws ReferenceError {
        return resolver.resolve(pod(container), container, FACTS);
    }

    @Test
    void resolvesFieldReferences() throws ReferenceError {
        ContainerBuilder builder = container();
        Map.ofEntries(
                        Map.entry("NAME", "metadata.name"),
                        Map.entry("NS", "metadata.namespace"),
                        Map.entry("UID", "metadata.uid"),
                        Map.entry("LABEL", "metadata.labels['app']"),
                        Map.entry("ANNOTATION", "metadata.annotations['note']"),
                        Map.entry("MISSING_LABEL", "metadata.labels['nope']"),
                        Map.entry("NODE", "spec.nodeName"),
                        Map.entry("SA", "spec.serviceAccountName"),
                        Map.entry("HOST_IP", "status.hostIP"),
                        Map.entry("HOST_IPS", "status.hostIPs"),
                        Map.entry("POD_IP", "status.podIP"),
                        Map.entry("POD_IPS", "status.podIPs"))
                .forEach((name, path) -> builder.addNewEnv()
                        .withName(name)
                        .withNewValueFrom()
                        .withNewFieldRef()
                        .withFieldPath(path)
                        .endFieldRef()
                        .endValueFrom()
                        .endEnv());
        assertThat(resolve(builder.build()).variables())
                .containsEntry("NAME", "web")
                .containsEntry("NS", "shop")
                .containsEntry("UID", "uid-1")
                .containsEntry("LABEL", "web")
                .containsEntry("ANNOTATION", "hi")
                .containsEntry("MISSING_LABEL", "")
                .containsEntry("NODE", "pet")
                .containsEntry("SA", "builder")
                .containsEntry("HOST_IP", "192.168.1.10")
                .containsEntry("HOST_IPS", "192.168.1.10")
                .containsEntry("POD_IP", "10.88.0.5")
                .containsEntry("POD_IPS", "10.88.0.5,fd00::5");
    }

    @Test
    void resourceReferencesUseTheDivisorAndTheNodeWhenNoLimitIsSet() throws ReferenceError {
        Container container = container()
                .withNewResources()
                .withLimits(Map.of("memory", new Quantity("64Mi")))
                .withRequests(Map.of("cpu", new Quantity("250m")))
                .endResources()
                .addNewEnv()
                .withName("MEMORY_MI")
                .withNewValueFrom()
                .withNewResourceFieldRef()
                .withResource("limits.memory")
                .withDivisor(new Quantity("1Mi"))
                .endResourceFieldRef()
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("CPU_LIMIT")
                .withNewValueFrom()
                .withNewResourceFieldRef()
                .withResource("limits.cpu")
                .withDivisor(new Quantity("0")) // what the API server's defaulting leaves
                .endResourceFieldRef()
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("CPU_REQUEST_MILLI")
                .withNewValueFrom()
                .withNewResourceFieldRef()
                .withResource("requests.cpu")
                .withDivisor(new Quantity("1m"))
                .endResourceFieldRef()
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("CPU_REQUEST")
                .withNewValueFrom()
                .withNewResourceFieldRef()
                .withResource("requests.cpu")
                .endResourceFieldRef()
                .endValueFrom()
                .endEnv()
                .build();
        assertThat(resolve(container).variables())
                .containsEntry("MEMORY_MI", "64")
                .containsEntry("CPU_LIMIT", "2") // the node's allocatable
                .containsEntry("CPU_REQUEST_MILLI", "250")
                .containsEntry("CPU_REQUEST", "1"); // rounded up
    }

    @Test
    void readsSecretAndConfigMapKeysAndSkipsOptionalOnes() throws ReferenceError {
        objects.secret("shop", "db", Map.of("password", "s3cret"));
        objects.configMap("shop", "settings", Map.of("mode", "fast"));
        Container container = container()
                .addNewEnv()
                .withName("PASSWORD")
                .withNewValueFrom()
                .withNewSecretKeyRef("password", "db", false)
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("MODE")
                .withNewValueFrom()
                .withNewConfigMapKeyRef("mode", "settings", null)
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("OPTIONAL_KEY")
                .withNewValueFrom()
                .withNewConfigMapKeyRef("nope", "settings", true)
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("OPTIONAL_SECRET")
                .withNewValueFrom()
                .withNewSecretKeyRef("k", "absent", true)
                .endValueFrom()
                .endEnv()
                .build();
        assertThat(resolve(container).variables())
                .containsEntry("PASSWORD", "s3cret")
                .containsEntry("MODE", "fast")
                .doesNotContainKeys("OPTIONAL_KEY", "OPTIONAL_SECRET");
    }

    @Test
    void aMissingRequiredReferenceNamesTheObjectAndKey() {
        objects.secret("shop", "db", Map.of("user", "me"));
        assertThatThrownBy(() -> resolve(container()
                        .addNewEnv()
                        .withName("P")
                        .withNewValueFrom()
                        .withNewSecretKeyRef("password", "missing", null)
                        .endValueFrom()
                        .endEnv()
                        .build()))
                .isInstanceOf(ReferenceError.class)
                .hasMessage("secret \"missing\" not found");
        assertThatThrownBy(() -> resolve(container()
                        .addNewEnv()
                        .withName("P")
                        .withNewValueFrom()
                        .withNewSecretKeyRef("password", "db", null)
                        .endValueFrom()
                        .endEnv()
                        .build()))
                .hasMessage("couldn't find key password in Secret shop/db");
        assertThatThrownBy(() -> resolve(container()
                        .addNewEnv()
                        .withName("P")
                        .withNewValueFrom()
                        .withNewConfigMapKeyRef("k", "settings", false)
                        .endValueFrom()
                        .endEnv()
                        .build()))
                .hasMessage("configmap \"settings\" not found");
        assertThatThrownBy(() -> resolve(container()
                        .addNewEnvFrom()
                        .withNewSecretRef("gone", null)
                        .endEnvFrom()
                        .build()))
                .hasMessage("secret \"gone\" not found");
    }

    @Test
    void envFromAddsPrefixedKeysAndSkipsInvalidNamesWithAWarning() throws ReferenceError {
        objects.configMap("shop", "settings", Map.of("mode", "fast", "1bad", "x", "ok.key", "y"));
        objects.secret("shop", "db", Map.of("password", "s3cret"));
        ContainerEnvironment environment = resolve(container()
                .addNewEnvFrom()
                .withNewConfigMapRef("settings", null)
                .endEnvFrom()
                .addNewEnvFrom()
                .withPrefix("DB_")
                .withNewSecretRef("db", null)
                .endEnvFrom()
                .addNewEnvFrom()
                .withNewConfigMapRef("absent", true)
                .endEnvFrom()
                .addNewEnv()
                .withName("mode")
                .withValue("slow")
                .endEnv()
                .build());
        assertThat(environment.variables())
                .containsEntry("mode", "slow") // env overrides envFrom
                .containsEntry("ok.key", "y")
                .containsEntry("DB_password", "s3cret")
                .doesNotContainKey("1bad");
        assertThat(environment.warnings())
                .containsExactly("Keys [1bad] from the EnvFrom configMap shop/settings were skipped since they are"
                        + " considered invalid environment variable names.");
    }

    @Test
    void expandsReferencesInEnvCommandAndArgs() throws ReferenceError {
        ContainerEnvironment environment = resolve(container()
                .withCommand("echo", "$(GREETING)", "$$(GREETING)")
                .withArgs("$(WHO)", "$(UNDEFINED)")
                .addNewEnv()
                .withName("WHO")
                .withValue("world")
                .endEnv()
                .addNewEnv()
                .withName("GREETING")
                .withValue("hello $(WHO)")
                .endEnv()
                .addNewEnv()
                .withName("LATER")
                .withValue("$(AFTER)")
                .endEnv()
                .addNewEnv()
                .withName("AFTER")
                .withValue("x")
                .endEnv()
                .build());
        assertThat(environment.variables())
                .containsEntry("GREETING", "hello world")
                .containsEntry("LATER", "$(AFTER)"); // only variables defined before
        assertThat(environment.command()).containsExactly("echo", "hello world", "$(GREETING)");
        assertThat(environment.args()).containsExactly("world", "$(UNDEFINED)");
    }

    private static Service service(String namespace, String name, String ip, int port, String portName) {
        return new ServiceBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withClusterIP(ip)
                .addNewPort()
                .withName(portName)
                .withPort(port)
                .withProtocol("TCP")
                .endPort()
                .endSpec()
                .build();
    }

    @Test
    void serviceLinksFollowEnableServiceLinksButAlwaysIncludeTheMasterService() throws ReferenceError {
        objects.service(service("default", "kubernetes", "10.0.0.1", 443, "https"))
                .service(service("shop", "redis-primary", "10.0.0.20", 6379, "redis"))
                .service(service("shop", "headless", "None", 80, null));
        Container container = container().build();
        Pod withoutLinks = pod(container);
        assertThat(resolver.resolve(withoutLinks, container, FACTS).variables())
                .containsEntry("KUBERNETES_SERVICE_HOST", "10.0.0.1")
                .containsEntry("KUBERNETES_SERVICE_PORT", "443")
                .doesNotContainKey("REDIS_PRIMARY_SERVICE_HOST");
        Pod withLinks = new PodBuilder(withoutLinks)
                .editSpec()
                .withEnableServiceLinks(true)
                .endSpec()
                .build();
        assertThat(resolver.resolve(withLinks, container, FACTS).variables())
                .containsEntry("REDIS_PRIMARY_SERVICE_HOST", "10.0.0.20")
                .containsEntry("REDIS_PRIMARY_SERVICE_PORT", "6379")
                .containsEntry("REDIS_PRIMARY_SERVICE_PORT_REDIS", "6379")
                .containsEntry("REDIS_PRIMARY_PORT", "tcp://10.0.0.20:6379")
                .containsEntry("REDIS_PRIMARY_PORT_6379_TCP", "tcp://10.0.0.20:6379")
                .containsEntry("REDIS_PRIMARY_PORT_6379_TCP_PROTO", "tcp")
                .containsEntry("REDIS_PRIMARY_PORT_6379_TCP_PORT", "6379")
                .containsEntry("REDIS_PRIMARY_PORT_6379_TCP_ADDR", "10.0.0.20")
                .doesNotContainKey("HEADLESS_SERVICE_HOST");
    }

    @Test
    void theMasterServicePointsAtTheReachableApiServerWhenOneIsGiven() throws ReferenceError {
        objects.service(service("default", "kubernetes", "10.0.0.1", 443, "https"));
        PodFacts facts = new PodFacts(
                FACTS.hostIPs(),
                FACTS.podIPs(),
                FACTS.nodeAllocatable(),
                Optional.of(new PodFacts.ApiServerAddress("192.168.1.10", 6443)));
        Container container = container()
                .addNewEnv()
                .withName("KUBERNETES_SERVICE_PORT")
                .withValue("explicit")
                .endEnv()
                .build();
        assertThat(resolver.resolve(pod(container), container, facts).variables())
                .containsEntry("KUBERNETES_SERVICE_HOST", "192.168.1.10")
                .containsEntry("KUBERNETES_SERVICE_PORT", "explicit") // the container's own wins
                .containsEntry("KUBERNETES_PORT_6443_TCP_ADDR", "192.168.1.10");
    }
}
