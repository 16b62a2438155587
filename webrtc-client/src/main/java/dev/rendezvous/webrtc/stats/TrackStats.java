package dev.rendezvous.webrtc.stats;

/**
 * A snapshot of what one remote track (one m-section of the subscribe connection) delivered.
 *
 * @param active           the latest offer still carries the track (false once its section went inactive)
 * @param packets          RTP packets received (retransmissions included)
 * @param bytes            payload bytes received
 * @param lost             expected minus received, from sequence numbers (RFC 3550 A.3), never negative
 * @param jitterMs         RFC 3550 interarrival jitter
 * @param delaySamples     forwarding-delay samples taken (send stamp in the payload to arrival)
 * @param delayP50Ms       median of the recent delay samples
 * @param delayP95Ms       95th percentile of the recent delay samples
 * @param delayMaxMs       largest delay seen
 * @param firstMediaMillis from the client's start to this track's first packet; -1 = none yet
 * @param lastPacketNanos  {@link System#nanoTime()} of the latest packet; 0 = none
 * @param keyframes        VP8 keyframe starts seen
 * @param nacksSent        sequence numbers NACKed
 * @param retransmissions  packets that arrived after being NACKed (the forwarder's retransmissions)
 * @param senderId         the sender id in the latest payload stamp
 * @param firstPacketNanos {@link System#nanoTime()} of the first packet; 0 = none
 */
public record TrackStats(String mid, long ssrc, String socketId, String participantId, String kind, String source,
                         boolean active, long packets, long bytes, long lost, double jitterMs, long delaySamples,
                         double delayP50Ms, double delayP95Ms, double delayMaxMs, long firstMediaMillis,
                         long lastPacketNanos, long keyframes, long nacksSent, long retransmissions, int senderId,
                         long firstPacketNanos) {

    public boolean audio() {
        return "audio".equals(kind);
    }

    /** The same figures for a track whose connection is gone (after a media restart). */
    public TrackStats inactive() {
        return new TrackStats(mid, ssrc, socketId, participantId, kind, source, false, packets, bytes, lost, jitterMs,
                delaySamples, delayP50Ms, delayP95Ms, delayMaxMs, firstMediaMillis, lastPacketNanos, keyframes,
                nacksSent, retransmissions, senderId, firstPacketNanos);
    }
}
