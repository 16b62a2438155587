package dev.rendezvous.forwarder.media;

import java.util.List;

/**
 * What the packet path tells the control side (which turns it into {@code forwarder.event.emitted} records).
 * Called from the forwarder's own threads; implementations must not block (hand the record to the Kafka
 * sender and return).
 */
public interface MediaListener {

    /** A new or changed offer for a participant's subscribe PeerConnection. */
    void subscribeOffer(String meetingId, String socketId, String sdp, List<RemoteTrack> tracks);

    /** The dominant speaker of a room changed; {@code socketId} null = nobody speaks. */
    void activeSpeaker(String meetingId, String socketId);

    /** A PeerConnection's DTLS handshake completed ({@code publish} true for the publish one). */
    void connected(String meetingId, String socketId, boolean publish);

    /** A PeerConnection failed or timed out (no consent for too long, DTLS failure). */
    void disconnected(String meetingId, String socketId, boolean publish, String reason);

    /**
     * The forwarder gave up a socket's subscribe connection because its offers went unanswered: the page must
     * start its subscribe side over (the control side turns this into an error the page acts on).
     */
    default void subscribeAbandoned(String meetingId, String socketId) {
        disconnected(meetingId, socketId, false, "subscribe offer not answered");
    }

    /** How the forwarder serves a page that asked for its stats (once a second while it asks). */
    default void pageStats(String meetingId, String socketId, PageStats stats) {
    }

    static MediaListener none() {
        return new MediaListener() {
            @Override public void subscribeOffer(String m, String s, String sdp, List<RemoteTrack> t) { }
            @Override public void activeSpeaker(String m, String s) { }
            @Override public void connected(String m, String s, boolean p) { }
            @Override public void disconnected(String m, String s, boolean p, String r) { }
        };
    }
}
