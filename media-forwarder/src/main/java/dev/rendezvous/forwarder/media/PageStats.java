package dev.rendezvous.forwarder.media;

import java.util.ArrayList;
import java.util.List;

/**
 * How the forwarder serves one page now, for the page's stats overlay: the downlink estimate of its subscribe
 * connection, whether the estimator sees congestion, the loss and round trip its receiver reports give (means over
 * its consumers), and what each consumer forwards. Built on the media timer, off the packet path, once a second and
 * only for pages that asked ({@link Peer#statsUntilNanos}); the control side turns it into a {@code MEDIA_STATS}
 * event.
 *
 * @param estimateBps -1 before the page's first transport-cc feedback
 * @param lossFraction 0–1; 0 when no receiver report came yet
 * @param rttMs -1 when unknown
 */
public record PageStats(long estimateBps, boolean congested, double lossFraction, double rttMs, List<Track> tracks) {

    /** What a consumer does now. */
    public enum State { FORWARDING, PAUSED, STARTING }

    /**
     * One consumer: the publisher's socket and track source; the layer forwarded (-1 none, 0 for a single stream);
     * the layer it moves to (the allocator's and the page's choice, capped by what the publisher sends; -1 paused);
     * how many layers the publisher sends; the forwarded layer's width (0 unknown) and its rate as received.
     */
    public record Track(String socketId, TrackSource source, State state, int layer, int target, int layers, int width,
                        long bitrateBps) {}

    /** The page's figures now; {@code downlink} as {@link LayerControl#downlinkOf} reads it. */
    static PageStats of(Peer page, LayerControl.Downlink downlink) {
        Consumer[] consumers = page.consumers;
        List<Track> tracks = new ArrayList<>(consumers.length);
        double loss = 0, rtt = 0;
        int lossN = 0, rttN = 0;
        for (Consumer c : consumers) {
            if (c.closed) {
                continue;
            }
            tracks.add(track(c));
            if (c.lossFraction >= 0) {
                loss += c.lossFraction;
                lossN++;
            }
            if (c.rttMs >= 0) {
                rtt += c.rttMs;
                rttN++;
            }
        }
        return new PageStats(downlink.estimateBps(), downlink.estimateBps() >= 0 && downlink.congestedNow(),
                lossN == 0 ? 0 : loss / lossN, rttN == 0 ? -1 : rtt / rttN, tracks);
    }

    private static Track track(Consumer c) {
        Producer p = c.producer;
        Layer[] layers = p.layers;
        Layer current = c.currentLayer();
        boolean paused = c.viewPaused || c.paused || p.muted;
        State state = paused ? State.PAUSED : current == null || !c.forwarding ? State.STARTING : State.FORWARDING;
        int top = layers.length - 1;
        int target = paused ? -1 : Math.max(0, Math.min(top, c.targetLayer()));
        int layer = state == State.FORWARDING ? current.index : -1;
        int width = current == null || p.audio() ? 0 : Math.max(0, current.width);
        long bitrate = state == State.FORWARDING ? current.bitrateBps : 0;
        return new Track(p.owner.socketId, p.source, state, layer, target, layers.length, width, bitrate);
    }
}
