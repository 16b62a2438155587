package dev.rendezvous.webrtc;

import dev.rendezvous.forwarder.media.srtp.SrtpProfile;

/**
 * What one client is and does. Build with {@link #of} and the {@code with…} methods.
 *
 * @param meetingId           the room
 * @param socketId            the client's connection id (the forwarder's key for it)
 * @param participantId       who it is
 * @param senderId            stamped into every payload it sends (receivers attribute delay samples with it)
 * @param audio               publish a microphone track
 * @param video               publish a camera track
 * @param audioLevel          RFC 6464 level to send, 0 (loud) .. 127 (silence)
 * @param videoBitrateBps     average video bitrate
 * @param fps                 video frame rate
 * @param keyframeIntervalMs  periodic keyframe interval
 * @param srtpProfiles        DTLS-SRTP profile ids offered, in preference order
 * @param consentIntervalMs   ICE consent check interval once connected
 * @param dropIncomingVideoEvery drop every n-th new incoming video packet before decryption (0 = none):
 *                            simulated loss, to exercise NACK; retransmissions are never dropped
 * @param dropOutgoingEvery   drop every n-th RTP packet we publish (audio and video) before it is sent (0 = none):
 *                            simulated loss on the way to the forwarder, which counts it in its loss figure
 */
public record ClientConfig(String meetingId, String socketId, String participantId, int senderId, boolean audio,
                           boolean video, int audioLevel, int videoBitrateBps, int fps, int keyframeIntervalMs,
                           int[] srtpProfiles, int consentIntervalMs, int dropIncomingVideoEvery,
                           int dropOutgoingEvery) {

    /** Audio (silent) and 300 kbit/s 30 fps video, both SRTP profiles offered (GCM first, as Chromium). */
    public static ClientConfig of(String meetingId, String socketId, String participantId) {
        return new ClientConfig(meetingId, socketId, participantId, socketId.hashCode(), true, true, 127, 300_000, 30,
                2_000, new int[] {SrtpProfile.AEAD_AES_128_GCM.id(), SrtpProfile.AES_CM_128_HMAC_SHA1_80.id()},
                2_500, 0, 0);
    }

    public ClientConfig withAudioLevel(int level) {
        return new ClientConfig(meetingId, socketId, participantId, senderId, audio, video, level, videoBitrateBps,
                fps, keyframeIntervalMs, srtpProfiles, consentIntervalMs, dropIncomingVideoEvery,
                dropOutgoingEvery);
    }

    public ClientConfig withMedia(boolean audio, boolean video) {
        return new ClientConfig(meetingId, socketId, participantId, senderId, audio, video, audioLevel,
                videoBitrateBps, fps, keyframeIntervalMs, srtpProfiles, consentIntervalMs, dropIncomingVideoEvery,
                dropOutgoingEvery);
    }

    public ClientConfig withVideo(int bitrateBps, int fps, int keyframeIntervalMs) {
        return new ClientConfig(meetingId, socketId, participantId, senderId, audio, video, audioLevel, bitrateBps,
                fps, keyframeIntervalMs, srtpProfiles, consentIntervalMs, dropIncomingVideoEvery,
                dropOutgoingEvery);
    }

    public ClientConfig withSrtpProfiles(int... profiles) {
        return new ClientConfig(meetingId, socketId, participantId, senderId, audio, video, audioLevel,
                videoBitrateBps, fps, keyframeIntervalMs, profiles.clone(), consentIntervalMs, dropIncomingVideoEvery,
                dropOutgoingEvery);
    }

    public ClientConfig withDropIncomingVideoEvery(int n) {
        return new ClientConfig(meetingId, socketId, participantId, senderId, audio, video, audioLevel,
                videoBitrateBps, fps, keyframeIntervalMs, srtpProfiles, consentIntervalMs, n, dropOutgoingEvery);
    }

    public ClientConfig withDropOutgoingEvery(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("dropOutgoingEvery must not be negative: " + n);
        }
        return new ClientConfig(meetingId, socketId, participantId, senderId, audio, video, audioLevel,
                videoBitrateBps, fps, keyframeIntervalMs, srtpProfiles, consentIntervalMs, dropIncomingVideoEvery, n);
    }
}
