package dev.rendezvous.forwarder.media.bwe;

/** What the delay-based detector concludes about the path's queue. */
public enum BandwidthUsage {
    /** The queue is stable: the rate may grow. */
    NORMAL,
    /** The queue grows: the rate must come down. */
    OVERUSING,
    /** The queue drains: hold the rate until it is empty. */
    UNDERUSING
}
