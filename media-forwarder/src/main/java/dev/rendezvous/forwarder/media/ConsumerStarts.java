package dev.rendezvous.forwarder.media;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Consumers whose subscriber is ready to receive them: the control side queues them, the packet thread starts
 * them (before it forwards their producer's next packet) and replays the latest keyframe first, so a
 * subscriber's first video packets are a whole keyframe rather than the middle of a frame.
 */
final class ConsumerStarts {

    private final ConcurrentLinkedQueue<Consumer> queue = new ConcurrentLinkedQueue<>();

    void add(Consumer c) {
        queue.add(c);
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Next consumer to start, or null. Packet thread. */
    Consumer poll() {
        return queue.poll();
    }
}
