package dev.petlet.core.cert;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.okhttp.OkHttpClientFactory;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Dispatcher;

/**
 * The agent's HTTP client for the API server: OkHttp, whose dispatcher runs asynchronous calls (every
 * fabric8 request is one) and the reading of their bodies on at most {@link #THREADS} threads instead of
 * a pool without bound.
 *
 * <p>fabric8 leaves OkHttp's dispatcher without a limit on concurrent calls (it ignores {@link
 * Config#getMaxConcurrentRequests()} for OkHttp), and OkHttp's own pool starts a thread whenever no idle
 * one waits at that instant and keeps each for a minute: with the status writes and events of a hundred
 * pods at once the agent ran 21 dispatcher threads, and more pods meant more. Here calls beyond {@link
 * #THREADS} wait for a thread; idle ones end after {@link #IDLE_SECONDS} seconds. A watch holds a thread
 * while it waits for its next event (fabric8 reads bodies on the dispatcher's threads, and a web socket
 * holds its call's thread while open), so the bound leaves room for the agent's few watches besides its
 * requests.
 */
public class AgentHttpClientFactory extends OkHttpClientFactory {
    static final int THREADS = 16;

    static final int IDLE_SECONDS = 30;

    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();

    @Override
    protected Dispatcher initDispatcher() {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(
                THREADS, THREADS, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "petlet-api-http-" + THREAD_NUMBER.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        Dispatcher dispatcher = new Dispatcher(executor);
        // As fabric8's own: no limit on calls, since a web socket holds its call (and a thread) while open.
        dispatcher.setMaxRequests(Integer.MAX_VALUE);
        dispatcher.setMaxRequestsPerHost(Integer.MAX_VALUE);
        return dispatcher;
    }
}
