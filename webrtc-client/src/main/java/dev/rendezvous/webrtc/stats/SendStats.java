package dev.rendezvous.webrtc.stats;

/**
 * What the client's publish side sent and heard back.
 *
 * @param plisReceived  picture loss indications from the forwarder
 * @param firsReceived  full intra requests from the forwarder
 * @param nacksReceived sequence numbers the forwarder asked us to resend
 * @param rembBps       the latest bitrate the forwarder allowed (REMB); 0 = none yet
 */
public record SendStats(long audioPackets, long videoPackets, long bytes, long keyframesSent, long plisReceived,
                        long firsReceived, long nacksReceived, long rembBps) {

    /** Nothing sent yet. */
    public static final SendStats NONE = new SendStats(0, 0, 0, 0, 0, 0, 0, 0);

    /** The counts of both added up; the REMB is {@code later}'s when it has one (it is the latest). */
    public SendStats plus(SendStats later) {
        return new SendStats(audioPackets + later.audioPackets, videoPackets + later.videoPackets, bytes + later.bytes,
                keyframesSent + later.keyframesSent, plisReceived + later.plisReceived,
                firsReceived + later.firsReceived, nacksReceived + later.nacksReceived,
                later.rembBps != 0 ? later.rembBps : rembBps);
    }
}
