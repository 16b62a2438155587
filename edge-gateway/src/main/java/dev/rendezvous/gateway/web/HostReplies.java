package dev.rendezvous.gateway.web;

import dev.rendezvous.gateway.ws.DeliveryTarget;
import dev.rendezvous.gateway.ws.SocketDirectory;
import dev.rendezvous.topics.model.HostActionRequest;
import dev.rendezvous.topics.model.HostEvent;
import dev.rendezvous.topics.model.RoomEvent;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The REST calls of this gateway waiting for the room processor's answer to their host request. Each is a delivery
 * target named {@code rest:<requestId>} ({@link HostActionRequest#restReplyTo}): the processor addresses its HOST_RESULT
 * to that name on this gateway's delivery partition, the delivery router finds it here, and the call completes.
 * Bounded by the calls in flight; an answer that comes after its call gave up finds nobody and is dropped.
 */
public final class HostReplies implements SocketDirectory {

    private static final String PREFIX = HostActionRequest.restReplyTo("");

    private final Map<String, Sinks.One<HostEvent>> waiting = new ConcurrentHashMap<>();

    /** Whether a delivery target id names a REST reply (and not a socket). */
    public static boolean isReplyTarget(String id) {
        return id != null && id.startsWith(PREFIX);
    }

    /**
     * Registers the wait first, then subscribes {@code send} (the publication of the request): an answer can never
     * arrive before its waiter. Errors with {@link java.util.concurrent.TimeoutException} after {@code timeout}.
     */
    public Mono<HostEvent> call(String requestId, Mono<Void> send, Duration timeout) {
        String key = HostActionRequest.restReplyTo(requestId);
        return Mono.defer(() -> {
            Sinks.One<HostEvent> sink = Sinks.one();
            waiting.put(key, sink);
            return send.then(sink.asMono().timeout(timeout));
        }).doFinally(s -> waiting.remove(key));
    }

    @Override
    public DeliveryTarget find(String id) {
        Sinks.One<HostEvent> sink = id == null ? null : waiting.get(id);
        if (sink == null) {
            return null;
        }
        return (RoomEvent e) -> {
            if (e.type() == RoomEvent.Type.HOST_RESULT && e.host() != null) {
                sink.tryEmitValue(e.host());
            }
        };
    }

    /** In-flight calls (for tests and metrics). */
    public int size() {
        return waiting.size();
    }
}
