package dev.rendezvous.forwarder.media;

/**
 * One page (one gateway socket) in a room: its two transports, the producers it publishes, the consumers it
 * receives through, and the state of its subscribe negotiation.
 *
 * <p>Arrays are copy on write: the packet thread reads them without locks; the control side replaces them
 * under the room's lock.
 */
final class Peer {

    final Router router;
    final String socketId;
    final String participantId;
    volatile Transport publish;
    volatile Transport subscribe;
    volatile Producer[] producers = new Producer[0];
    /** This peer's consumers (one per active m-section of its subscribe connection). */
    volatile Consumer[] consumers = new Consumer[0];
    /** Subscribe negotiation (under the room's lock). */
    final SubscribeSession session = new SubscribeSession();
    /** How the page shows the remote video tracks (key {@link TileSpec#key}); null until it reports. Room's lock. */
    volatile java.util.Map<String, TileSpec> tiles;
    /** This page's layer decisions ({@link LayerControl}, under the room's lock). */
    final LayerAllocator allocator = new LayerAllocator();
    /** The downlink estimate at the last allocation (a fall is a sign of congestion). Room's lock. */
    long lastEstimateBps;
    /** Until when (media clock) the page wants its {@link PageStats} once a second; 0 = not asked. */
    volatile long statsUntilNanos;

    Peer(Router router, String socketId, String participantId) {
        this.router = router;
        this.socketId = socketId;
        this.participantId = participantId;
    }

    /** The layer (of one of this peer's producers) that receives {@code ssrc}, or null. */
    Layer layerByInboundSsrc(long ssrc) {
        for (Producer p : producers) {
            Layer l = p.layerByInboundSsrc(ssrc);
            if (l != null) {
                return l;
            }
        }
        return null;
    }

    /** The layer (of one of this peer's producers) whose RTX SSRC this is, or null. */
    Layer layerByRtxSsrc(long ssrc) {
        for (Producer p : producers) {
            Layer l = p.layerByRtxSsrc(ssrc);
            if (l != null) {
                return l;
            }
        }
        return null;
    }

    /** The consumer whose outbound SSRC this is (from the subscriber's RTCP), or null. */
    Consumer consumerBySsrc(long ssrc) {
        for (Consumer c : consumers) {
            if (c.ssrc == ssrc) {
                return c;
            }
        }
        return null;
    }
}
