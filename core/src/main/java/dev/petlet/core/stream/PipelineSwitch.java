package dev.petlet.core.stream;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpContentDecoder;
import io.netty.handler.codec.http.HttpContentEncoder;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.handler.timeout.WriteTimeoutHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns an HTTP pipeline into a streaming one: the stream handlers go where the HTTP codec sits, and the
 * request-level handlers go away. That includes the caller's own handler, the HTTP idle and write timeouts
 * (a stream has its own idle timeout), keep-alive, aggregation and compression. TLS and anything else that is
 * not HTTP stays.
 */
final class PipelineSwitch {
    private PipelineSwitch() {}

    /**
     * Installs handlers right after the HTTP codec and removes the request-level handlers. Event loop.
     *
     * @param caller the context of the handler that got the upgrade request; removed too
     * @param handlers the stream handlers by name, in inbound order
     * @param removeCodec whether to remove the codec as well (SPDY); its buffered, not yet decoded bytes then go
     *     to the first stream handler. The WebSocket handshaker removes it itself once the response is out.
     * @throws IllegalStateException if the pipeline has no HTTP server codec
     */
    static void install(ChannelHandlerContext caller, Map<String, ChannelHandler> handlers, boolean removeCodec) {
        ChannelPipeline pipeline = caller.pipeline();
        ChannelHandlerContext codec = pipeline.context(HttpServerCodec.class);
        if (codec == null) {
            codec = pipeline.context(HttpRequestDecoder.class);
        }
        if (codec == null) {
            throw new IllegalStateException("no HTTP server codec in the pipeline " + pipeline.names());
        }
        String anchor = codec.name();
        for (Map.Entry<String, ChannelHandler> handler : handlers.entrySet()) {
            pipeline.addAfter(anchor, handler.getKey(), handler.getValue());
            anchor = handler.getKey();
        }
        List<String> obsolete = new ArrayList<>();
        for (Map.Entry<String, ChannelHandler> entry : pipeline) {
            ChannelHandler handler = entry.getValue();
            boolean codecPart = handler instanceof HttpServerCodec
                    || handler instanceof HttpRequestDecoder
                    || handler instanceof HttpResponseEncoder;
            if ((codecPart && removeCodec) || requestLevel(handler)) {
                obsolete.add(entry.getKey());
            }
        }
        if (!caller.isRemoved() && !obsolete.contains(caller.name())) {
            obsolete.add(caller.name());
        }
        // The codec goes last, so that the bytes it held flow into handlers already in place.
        if (removeCodec) {
            obsolete.remove(codec.name());
            obsolete.add(codec.name());
        }
        for (String name : obsolete) {
            if (pipeline.context(name) != null) {
                pipeline.remove(name);
            }
        }
    }

    private static boolean requestLevel(ChannelHandler handler) {
        return handler instanceof HttpObjectAggregator
                || handler instanceof HttpServerKeepAliveHandler
                || handler instanceof HttpServerExpectContinueHandler
                || handler instanceof HttpContentEncoder
                || handler instanceof HttpContentDecoder
                || handler instanceof IdleStateHandler
                || handler instanceof WriteTimeoutHandler;
    }
}
