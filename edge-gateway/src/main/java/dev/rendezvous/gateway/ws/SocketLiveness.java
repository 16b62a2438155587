package dev.rendezvous.gateway.ws;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * When a socket's client was last heard from (any inbound frame, pongs included), and the WebSocket pings owed to
 * it: the keep-alive sweep ({@code presence.SocketKeepAlive}) asks for a ping here, the socket's handler writes it
 * as a ping frame between the socket's other outbound frames.
 */
public final class SocketLiveness {

    private final AtomicLong lastHeard = new AtomicLong();
    /** At most two pings wait: a client that reads nothing does not grow the queue. */
    private final Sinks.Many<Long> pings = Sinks.many().unicast().onBackpressureBuffer(new ArrayBlockingQueue<>(2));

    /** The client sent something (a frame or a pong) at {@code millis}. */
    public void heard(long millis) {
        lastHeard.accumulateAndGet(millis, Math::max);
    }

    public long lastHeard() {
        return lastHeard.get();
    }

    /** Asks the handler to send a ping frame; false if the pings already waiting were not written. */
    public boolean ping(long millis) {
        synchronized (pings) {
            return pings.tryEmitNext(millis).isSuccess();
        }
    }

    /** The pings to write, as the times they were asked for. */
    public Flux<Long> pings() {
        return pings.asFlux();
    }

    void complete() {
        synchronized (pings) {
            pings.tryEmitComplete();
        }
    }
}
