package dev.petlet.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Results of tasks run with {@code invokeAll}. */
final class Futures {
    private Futures() {}

    /** The values of finished futures, in order; throws the first task's failure as it was thrown. */
    static <T> List<T> values(List<Future<T>> futures) throws Exception {
        List<T> values = new ArrayList<>();
        for (Future<T> future : futures) {
            try {
                values.add(future.get());
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
        return values;
    }
}
