package dev.rendezvous.loadtest.media;

/** Reads the forwarder's figures now. Implementations are cheap enough to be called once a second. */
public interface ForwarderProbe {

    ForwarderSample sample();

    /** Says in the report where the figures came from and what the CPU figure includes. */
    String describe();
}
