package dev.rendezvous.forwarder.drain;

/** What happens when a drain begun by the admin call is over: the process ends (tests replace it). */
@FunctionalInterface
public interface DrainedExit {
    void exit();
}
