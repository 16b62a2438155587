package dev.rendezvous.forwarder.media;

import java.util.ArrayList;
import java.util.List;

/**
 * One socket in a room: its publish and subscribe connections, the tracks it publishes, and the state of
 * its subscribe negotiation (guarded by the room's lock; methods that need it are named {@code …Locked}).
 */
final class Participant {

    /** One m-section of this participant's subscribe PeerConnection. */
    static final class Slot {
        final String mid;
        final String kind;
        PublishedTrack track;
        boolean active;

        Slot(String mid, String kind, PublishedTrack track) {
            this.mid = mid;
            this.kind = kind;
            this.track = track;
            this.active = true;
        }
    }

    final Room room;
    final String socketId;
    final String participantId;
    volatile Connection publish;
    volatile Connection subscribe;
    /** Published tracks (copy on write). */
    volatile PublishedTrack[] tracks = new PublishedTrack[0];
    /** Tracks this participant's browser accepted in its last subscribe answer (copy on write). */
    volatile PublishedTrack[] receiving = new PublishedTrack[0];

    // subscribe negotiation, under the room's lock
    final List<Slot> slots = new ArrayList<>();
    int nextMid;
    long offerVersion;
    long subscribeSessionId;
    boolean awaitingAnswer;
    boolean dirty;
    /** The certificate fingerprint the page announced for its subscribe PeerConnection (join or media-subscribe), or null. */
    String subscribeFingerprint;
    List<Slot> offeredSlots = List.of();

    Participant(Room room, String socketId, String participantId) {
        this.room = room;
        this.socketId = socketId;
        this.participantId = participantId;
    }

    boolean receives(PublishedTrack t) {
        for (PublishedTrack r : receiving) {
            if (r == t) {
                return true;
            }
        }
        return false;
    }

    PublishedTrack trackByInboundSsrc(long ssrc) {
        for (PublishedTrack t : tracks) {
            if (t.inboundSsrc == ssrc) {
                return t;
            }
        }
        return null;
    }
}
