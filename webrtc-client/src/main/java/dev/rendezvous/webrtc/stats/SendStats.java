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
                        long firsReceived, long nacksReceived, long rembBps) {}
