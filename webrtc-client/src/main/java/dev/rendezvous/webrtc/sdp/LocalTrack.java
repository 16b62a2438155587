package dev.rendezvous.webrtc.sdp;

/**
 * One sendonly m-section of our publish offer: what the SDP needs to say about a track we send.
 *
 * @param kind   {@code audio} or {@code video}
 * @param source {@code microphone}, {@code camera} or {@code screen} (signalled beside the SDP, not in it)
 */
public record LocalTrack(String mid, String kind, String source, long ssrc, String streamId, String trackId) {

    public boolean audio() {
        return kind.equals("audio");
    }
}
