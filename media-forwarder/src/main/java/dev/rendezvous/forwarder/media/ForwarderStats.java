package dev.rendezvous.forwarder.media;

/**
 * What the packet path reports about its load and quality, read once per metrics interval by the control
 * side (never from the packet path itself). Implementations must be thread-safe and cheap: return figures the
 * packet path already keeps (counters it increments anyway), do not walk every packet.
 *
 * <p>Until the SFU issue there is no packet path: {@link #idle()} reports no rooms and no packets.
 */
@FunctionalInterface
public interface ForwarderStats {

    /** One consistent set of figures (taken together, not field by field). */
    Snapshot snapshot();

    /**
     * Each connected participant's quality since the previous call (the first call only starts the count and returns
     * nothing). For one caller at a fixed interval (the analytics quality samples); none by default.
     */
    default java.util.List<ParticipantQuality> participantQuality() {
        return java.util.List.of();
    }

    /** The stats of a forwarder that forwards nothing. */
    static ForwarderStats idle() {
        return () -> Snapshot.IDLE;
    }

    /**
     * Load and quality over the last interval.
     *
     * @param rooms            rooms with at least one connected participant
     * @param participants     connected participants (what {@code capacity} is counted in)
     * @param streamsIn        media streams received (per SSRC, simulcast layers counted once per source)
     * @param streamsOut       media streams sent to subscribers
     * @param packetsInPerSec  RTP/RTCP packets received per second
     * @param packetsOutPerSec RTP/RTCP packets sent per second
     * @param bitrateInBps     bits per second received
     * @param bitrateOutBps    bits per second sent
     * @param lossRatio        fraction of expected inbound packets lost, 0..1
     * @param jitterMs         mean inbound interarrival jitter
     * @param rttMs            mean round-trip time to the participants
     */
    record Snapshot(
            int rooms,
            int participants,
            int streamsIn,
            int streamsOut,
            double packetsInPerSec,
            double packetsOutPerSec,
            double bitrateInBps,
            double bitrateOutBps,
            double lossRatio,
            double jitterMs,
            double rttMs) {

        public static final Snapshot IDLE = new Snapshot(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

        public Snapshot {
            if (rooms < 0 || participants < 0 || streamsIn < 0 || streamsOut < 0) {
                throw new IllegalArgumentException("counts must not be negative");
            }
            if (!(lossRatio >= 0 && lossRatio <= 1)) {
                throw new IllegalArgumentException("lossRatio must be within 0..1: " + lossRatio);
            }
            for (double d : new double[] {packetsInPerSec, packetsOutPerSec, bitrateInBps, bitrateOutBps, jitterMs, rttMs}) {
                if (!(d >= 0) || Double.isInfinite(d)) {
                    throw new IllegalArgumentException("rates and times must be finite and not negative: " + d);
                }
            }
        }
    }
}
