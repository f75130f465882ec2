package dev.petlet.core.node;

/** Where the node controller gets a fresh {@link NodeFacts} snapshot each status update. */
public interface NodeFactsSource {
    /** Reads the machine and the runtime now; never throws: what cannot be read is reported in the facts. */
    NodeFacts collect();
}
