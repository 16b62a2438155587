package dev.rendezvous.gateway.shared;

/** The three stores of one backend, and a description of it for the start-up log. */
public interface SharedState extends AutoCloseable {

    RateCounters counters();

    Revocations revocations();

    SocketPresence presence();

    /** E.g. "Aerospike at 127.0.0.1:3000, namespace rendezvous" or "in-process (this gateway only)". */
    String describe();

    @Override
    void close();
}
