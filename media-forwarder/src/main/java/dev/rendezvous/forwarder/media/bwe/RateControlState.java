package dev.rendezvous.forwarder.media.bwe;

/** The states of the AIMD rate controller (draft-ietf-rmcat-gcc-02 section 5.5). */
enum RateControlState {
    HOLD,
    INCREASE,
    DECREASE
}
