package dev.rendezvous.forwarder.media;

import dev.rendezvous.forwarder.sdp.SessionDescription.Codec;
import java.util.ArrayList;
import java.util.List;

/**
 * The state of one peer's subscribe negotiation: the m-sections of its subscribe PeerConnection and what the
 * last offer said. Guarded by the room's lock; changed only by {@link SubscribeNegotiator}.
 */
final class SubscribeSession {

    /** One m-section. */
    static final class Slot {
        final String mid;
        final TrackKind kind;
        /** The consumer it carries, or null: the section is inactive. */
        Consumer consumer;
        /** The codecs of the last track it carried (an inactive section's m-line names the first). */
        List<Codec> codecs;
        /** Offered inactive and answered: free to carry a new track of its kind (the SDP does not grow). */
        boolean reusable;

        Slot(String mid, TrackKind kind) {
            this.mid = mid;
            this.kind = kind;
        }
    }

    /** One section as the last offer described it (consumer null: inactive). */
    record Offered(String mid, Consumer consumer, List<Codec> codecs) {}

    final List<Slot> slots = new ArrayList<>();
    int nextMid;
    long version;
    long sessionId;
    boolean awaitingAnswer;
    /** The room changed while an answer was awaited: offer again after it. */
    boolean dirty;
    /** The certificate fingerprint the page announced for its subscribe PeerConnection, or null. */
    String fingerprint;
    List<Offered> offered = List.of();
    long offerSentNanos;
    /** The outstanding offer was already sent a second time after going unanswered. */
    boolean reoffered;

    void reset(String fingerprint) {
        slots.clear();
        nextMid = 0;
        version = 0;
        awaitingAnswer = false;
        dirty = false;
        offered = List.of();
        reoffered = false;
        this.fingerprint = fingerprint;
    }

    Slot slotOf(Producer p) {
        for (Slot s : slots) {
            if (s.consumer != null && s.consumer.producer == p) {
                return s;
            }
        }
        return null;
    }
}
