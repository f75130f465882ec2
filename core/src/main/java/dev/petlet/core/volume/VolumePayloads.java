package dev.petlet.core.volume;

import static java.util.Objects.requireNonNull;

import dev.petlet.core.env.EnvironmentResolver;
import dev.petlet.core.env.FieldReferences;
import dev.petlet.core.env.ObjectSource;
import dev.petlet.core.env.PodFacts;
import dev.petlet.core.env.ReferenceError;
import dev.petlet.core.env.ResourceReferences;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The files of secret, configMap, downwardAPI and projected volumes, as the kubelet's volume
 * plugins compute them ({@code MakePayload}, {@code CollectData}): keys or {@code items}, modes
 * from {@code mode} or {@code defaultMode} (0644), optional sources left out when missing.
 */
final class VolumePayloads {
    static final int DEFAULT_MODE = 0644;

    private final ObjectSource objects;
    private final ServiceAccountTokens tokens;

    VolumePayloads(ObjectSource objects, ServiceAccountTokens tokens) {
        this.objects = requireNonNull(objects, "objects");
        this.tokens = requireNonNull(tokens, "tokens");
    }

    Map<String, FileProjection> secret(Pod pod, io.fabric8.kubernetes.api.model.SecretVolumeSource source)
            throws VolumeError {
        boolean optional = Boolean.TRUE.equals(source.getOptional());
        Optional<Secret> secret = objects.secret(pod.getMetadata().getNamespace(), source.getSecretName());
        if (secret.isEmpty()) {
            if (optional) {
                return Map.of();
            }
            throw new VolumeError("secret \"" + source.getSecretName() + "\" not found");
        }
        return keys(
                EnvironmentResolver.secretData(secret.get()),
                source.getItems(),
                mode(source.getDefaultMode()),
                optional,
                "references non-existent secret key: ");
    }

    Map<String, FileProjection> configMap(Pod pod, io.fabric8.kubernetes.api.model.ConfigMapVolumeSource source)
            throws VolumeError {
        boolean optional = Boolean.TRUE.equals(source.getOptional());
        Optional<ConfigMap> configMap = objects.configMap(pod.getMetadata().getNamespace(), source.getName());
        if (configMap.isEmpty()) {
            if (optional) {
                return Map.of();
            }
            throw new VolumeError("configmap \"" + source.getName() + "\" not found");
        }
        return keys(
                configMapData(configMap.get()),
                source.getItems(),
                mode(source.getDefaultMode()),
                optional,
                "configmap references non-existent config key: ");
    }

    Map<String, FileProjection> downwardApi(
            Pod pod, PodFacts facts, List<DownwardAPIVolumeFile> items, Integer defaultMode) throws VolumeError {
        Map<String, FileProjection> files = new LinkedHashMap<>();
        for (DownwardAPIVolumeFile item : Optional.ofNullable(items).orElse(List.of())) {
            String value;
            try {
                if (item.getFieldRef() != null) {
                    value = FieldReferences.value(pod, facts, item.getFieldRef().getFieldPath(), true);
                } else if (item.getResourceFieldRef() != null) {
                    var ref = item.getResourceFieldRef();
                    value = ResourceReferences.value(
                            pod, facts, ref.getContainerName(), ref.getResource(), ref.getDivisor(), null);
                } else {
                    continue;
                }
            } catch (ReferenceError e) {
                throw new VolumeError(e.getMessage());
            }
            files.put(
                    item.getPath(),
                    new FileProjection(
                            value.getBytes(StandardCharsets.UTF_8),
                            item.getMode() != null ? item.getMode() : mode(defaultMode)));
        }
        return files;
    }

    Map<String, FileProjection> projected(
            Pod pod, PodFacts facts, io.fabric8.kubernetes.api.model.ProjectedVolumeSource source) throws VolumeError {
        int defaultMode = mode(source.getDefaultMode());
        Map<String, FileProjection> files = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        String namespace = pod.getMetadata().getNamespace();
        for (VolumeProjection projection :
                Optional.ofNullable(source.getSources()).orElse(List.of())) {
            try {
                if (projection.getSecret() != null) {
                    var ref = projection.getSecret();
                    boolean optional = Boolean.TRUE.equals(ref.getOptional());
                    Optional<Secret> secret = objects.secret(namespace, ref.getName());
                    if (secret.isEmpty()) {
                        if (!optional) {
                            throw new VolumeError("secret \"" + ref.getName() + "\" not found");
                        }
                        continue;
                    }
                    files.putAll(keys(
                            EnvironmentResolver.secretData(secret.get()),
                            ref.getItems(),
                            defaultMode,
                            optional,
                            "references non-existent secret key: "));
                } else if (projection.getConfigMap() != null) {
                    var ref = projection.getConfigMap();
                    boolean optional = Boolean.TRUE.equals(ref.getOptional());
                    Optional<ConfigMap> configMap = objects.configMap(namespace, ref.getName());
                    if (configMap.isEmpty()) {
                        if (!optional) {
                            throw new VolumeError("configmap \"" + ref.getName() + "\" not found");
                        }
                        continue;
                    }
                    files.putAll(keys(
                            configMapData(configMap.get()),
                            ref.getItems(),
                            defaultMode,
                            optional,
                            "configmap references non-existent config key: "));
                } else if (projection.getDownwardAPI() != null) {
                    files.putAll(
                            downwardApi(pod, facts, projection.getDownwardAPI().getItems(), defaultMode));
                } else if (projection.getServiceAccountToken() != null) {
                    var ref = projection.getServiceAccountToken();
                    String serviceAccount = Optional.ofNullable(pod.getSpec().getServiceAccountName())
                            .filter(s -> !s.isEmpty())
                            .orElse("default");
                    String token;
                    try {
                        token = tokens.token(
                                namespace,
                                serviceAccount,
                                Optional.ofNullable(ref.getAudience()).filter(a -> !a.isEmpty()),
                                Optional.ofNullable(ref.getExpirationSeconds()).orElse(3600L),
                                pod.getMetadata().getName(),
                                pod.getMetadata().getUid());
                    } catch (RuntimeException e) {
                        throw new VolumeError("failed to fetch token: " + e.getMessage());
                    }
                    files.put(ref.getPath(), new FileProjection(token.getBytes(StandardCharsets.UTF_8), defaultMode));
                } else {
                    throw new VolumeError("petlet does not support this projected volume source yet: " + projection);
                }
            } catch (VolumeError e) {
                errors.add(e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new VolumeError(errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]");
        }
        return files;
    }

    private static Map<String, FileProjection> keys(
            Map<String, byte[]> data, List<KeyToPath> items, int defaultMode, boolean optional, String missingKey)
            throws VolumeError {
        Map<String, FileProjection> files = new LinkedHashMap<>();
        if (items == null || items.isEmpty()) {
            data.forEach((key, value) -> files.put(key, new FileProjection(value, defaultMode)));
            return files;
        }
        for (KeyToPath item : items) {
            byte[] value = data.get(item.getKey());
            if (value == null) {
                if (optional) {
                    continue;
                }
                throw new VolumeError(missingKey + item.getKey());
            }
            files.put(item.getPath(), new FileProjection(value, item.getMode() != null ? item.getMode() : defaultMode));
        }
        return files;
    }

    static Map<String, byte[]> configMapData(ConfigMap configMap) {
        Map<String, byte[]> data = new LinkedHashMap<>();
        Optional.ofNullable(configMap.getData())
                .orElse(Map.of())
                .forEach((key, value) -> data.put(key, value.getBytes(StandardCharsets.UTF_8)));
        Optional.ofNullable(configMap.getBinaryData())
                .orElse(Map.of())
                .forEach((key, value) -> data.put(key, Base64.getDecoder().decode(value)));
        return data;
    }

    private static int mode(Integer mode) {
        return mode == null ? DEFAULT_MODE : mode;
    }
}
