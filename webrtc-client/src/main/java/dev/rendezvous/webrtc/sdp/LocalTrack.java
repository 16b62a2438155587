package dev.rendezvous.webrtc.sdp;

/**
 * One sendonly m-section of our publish offer: what the SDP needs to say about a track we send.
 *
 * @param kind   {@code audio} or {@code video}
 * @param source {@code microphone}, {@code camera} or {@code screen} (signalled beside the SDP, not in it)
 * @param rtxSsrc the SSRC of its RFC 4588 retransmissions (video), or -1: none offered
 */
public record LocalTrack(String mid, String kind, String source, long ssrc, String streamId, String trackId,
                         long rtxSsrc) {

    /** Without RTX. */
    public LocalTrack(String mid, String kind, String source, long ssrc, String streamId, String trackId) {
        this(mid, kind, source, ssrc, streamId, trackId, -1);
    }

    public boolean audio() {
        return kind.equals("audio");
    }
}
