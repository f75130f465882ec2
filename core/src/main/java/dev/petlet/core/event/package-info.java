/**
 * Kubernetes core/v1 Events as the kubelet writes them: {@link dev.petlet.core.event.EventRecorder} takes events
 * from any thread without blocking, folds repeats into one event with a growing count the way client-go's
 * correlator does, and writes them to the API server from a single sender thread.
 */
package dev.petlet.core.event;
