package dev.rendezvous.topics.model;

import java.util.List;

/**
 * How the forwarder serves one page now (a {@code MEDIA_STATS} forwarder event, then the page's {@code media-stats}
 * frame): the downlink estimate it spends on the page's video, whether it sees congestion, the loss and round trip
 * the page's receiver reports give, and for each remote track the page subscribes to, what is forwarded. Sent once
 * a second, only while the page asks for it (its stats overlay is open; docs/protocol.md).
 *
 * @param estimateBps the subscribe connection's downlink estimate in bits per second; -1 before any transport-cc
 *                    feedback arrived
 * @param congested   whether the estimator sees over-use or heavy loss now (layers are then limited by the estimate)
 * @param loss        the fraction of packets lost towards the page (0–1, the mean of its receiver reports)
 * @param rttMs       round-trip time to the page in milliseconds; -1 when unknown
 * @param tracks      one entry per remote track the page is sent
 */
public record MediaStats(long estimateBps, boolean congested, double loss, double rttMs, List<TrackStats> tracks) {

    public MediaStats {
        tracks = tracks == null ? List.of() : List.copyOf(tracks);
    }

    /** What the forwarder does with one remote track for this page. */
    public enum State {
        /** forwarding packets of {@code layer} */
        FORWARDING,
        /** not forwarding: the tile is hidden, the track muted or its consumer paused */
        PAUSED,
        /** chosen but waiting for a keyframe (or the publisher's first packets) */
        STARTING
    }

    /**
     * @param socketId   the publishing socket
     * @param source     which of its tracks (CAMERA, SCREEN, MICROPHONE)
     * @param state      what is forwarded now
     * @param layer      the simulcast layer forwarded (0 = lowest), -1 for none; 0 for a track sent as one stream
     * @param target     the layer the allocator chose (what {@code layer} moves to at the next keyframe); -1 paused
     * @param layers     how many layers the publisher sends (1 = not simulcast)
     * @param width      the forwarded layer's width in pixels as its keyframes say; 0 when unknown or audio
     * @param bitrateBps the forwarded layer's rate in bits per second (as received from the publisher)
     */
    public record TrackStats(String socketId, MediaTrack.Source source, State state, int layer, int target, int layers,
                             int width, long bitrateBps) {}
}
