package dev.rendezvous.forwarder.media.bwe;

/**
 * Groups packets by send time and gives the inter-group delay variation of draft-ietf-rmcat-gcc-02 section 5.2:
 * packets sent within {@value #BURST_US} µs of a group's first packet belong to it (a video frame goes out as
 * one burst); a packet that arrives within {@value #BURST_US} µs of the previous one while its one-way delay
 * went down also joins the group (a burst released by a link layer). When a group closes, the difference of
 * send times and of arrival times between its last packet and the previous group's last packet is available.
 *
 * <p>A packet sent before the current group began is out of order and ignored. An arrival time that goes back
 * by more than {@value #CLOCK_JUMP_US} µs resets the grouping (the receiver's clock jumped).
 */
final class ArrivalGroups {

    static final long BURST_US = 5_000;
    static final long MAX_BURST_US = 100_000;
    static final long CLOCK_JUMP_US = 3_000_000;

    private long firstSend = -1;
    private long lastSend;
    private long firstArrival;
    private long lastArrival;
    private long prevLastSend = -1;
    private long prevLastArrival;
    private long sendDelta;
    private long arrivalDelta;
    private long groupArrival;

    /**
     * Adds one received packet. Returns true when it closed a group and a delta between the two groups before
     * it is ready ({@link #sendDeltaUs()}, {@link #arrivalDeltaUs()}, {@link #groupArrivalUs()}).
     */
    boolean add(long sendUs, long arrivalUs) {
        if (firstSend < 0) {
            start(sendUs, arrivalUs);
            return false;
        }
        if (sendUs < firstSend) {
            return false; // reordered: belongs to a group that is already closed
        }
        if (sameGroup(sendUs, arrivalUs)) {
            lastSend = Math.max(lastSend, sendUs);
            lastArrival = Math.max(lastArrival, arrivalUs);
            return false;
        }
        boolean ready = false;
        if (prevLastSend >= 0) {
            sendDelta = lastSend - prevLastSend;
            arrivalDelta = lastArrival - prevLastArrival;
            groupArrival = lastArrival;
            if (arrivalDelta < -CLOCK_JUMP_US) {
                reset();
                start(sendUs, arrivalUs);
                return false;
            }
            ready = true;
        }
        prevLastSend = lastSend;
        prevLastArrival = lastArrival;
        start(sendUs, arrivalUs);
        return ready;
    }

    private boolean sameGroup(long sendUs, long arrivalUs) {
        if (sendUs - firstSend <= BURST_US) {
            return true;
        }
        long arrivalGap = arrivalUs - lastArrival;
        long delayChange = arrivalGap - (sendUs - lastSend);
        return delayChange < 0 && arrivalGap <= BURST_US && arrivalUs - firstArrival < MAX_BURST_US;
    }

    private void start(long sendUs, long arrivalUs) {
        firstSend = sendUs;
        lastSend = sendUs;
        firstArrival = arrivalUs;
        lastArrival = arrivalUs;
    }

    void reset() {
        firstSend = -1;
        prevLastSend = -1;
    }

    long sendDeltaUs() {
        return sendDelta;
    }

    long arrivalDeltaUs() {
        return arrivalDelta;
    }

    /** Arrival time of the last packet of the group the delta ends with. */
    long groupArrivalUs() {
        return groupArrival;
    }
}
