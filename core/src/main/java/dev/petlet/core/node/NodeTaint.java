package dev.petlet.core.node;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;

/**
 * A taint petlet puts on its Node when it registers it.
 *
 * @param key the taint key, e.g. {@code dedicated}
 * @param value the value; empty for none
 * @param effect what it does to pods that do not tolerate it
 */
public record NodeTaint(String key, String value, TaintEffect effect) {
    public NodeTaint {
        requireNonNull(key, "key");
        requireNonNull(value, "value");
        requireNonNull(effect, "effect");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("a taint needs a key");
        }
    }

    /** True if the API taint is this one: the same key and effect, as Kubernetes identifies taints. */
    boolean matches(Taint taint) {
        return key.equals(taint.getKey()) && effect.apiValue().equals(taint.getEffect());
    }

    Taint toApiTaint() {
        return new TaintBuilder()
                .withKey(key)
                .withValue(value.isEmpty() ? null : value)
                .withEffect(effect.apiValue())
                .build();
    }

    /** The {@code kubectl taint} notation: {@code key=value:Effect}, or {@code key:Effect} without a value. */
    @Override
    public String toString() {
        return key + (value.isEmpty() ? "" : "=" + value) + ":" + effect.apiValue();
    }
}
