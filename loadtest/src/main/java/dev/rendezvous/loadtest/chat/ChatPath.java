package dev.rendezvous.loadtest.chat;

/**
 * One way a chat message goes from a sender to a receiver, driven by {@code ChatLoad} at a fixed rate. Message
 * {@code n} is keyed by room {@code n % rooms}, so that both paths spread over the same partitions. Each path counts
 * what it sent and received in its own {@link Inflight}.
 */
public interface ChatPath extends AutoCloseable {

    /** For the report. */
    String name();

    Inflight inflight();

    /** Sends message {@code n}, due at {@code scheduledNanos}. */
    void send(long n, long scheduledNanos);

    @Override
    void close();
}
