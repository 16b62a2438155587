package dev.rendezvous.forwarder.media;

import dev.rendezvous.forwarder.sdp.SessionDescription.Codec;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A consumer's payload-type map: the publisher's payload type → the one the subscriber's m-section negotiated
 * for the same codec (by name and clock rate). Identity when the section was offered with the publisher's own
 * codecs; a real mapping when it was offered before the publisher published (expected tracks) or to a
 * browser that numbers codecs differently. -1: the subscriber cannot take that codec (the packet is dropped).
 */
final class PayloadTypes {

    private PayloadTypes() {
    }

    /**
     * @param produced the publisher's codecs
     * @param offered  the codecs of the subscriber's m-section
     * @param answered payload types the subscriber's answer kept (null: all offered)
     */
    static byte[] map(List<Codec> produced, List<Codec> offered, Set<Integer> answered) {
        byte[] map = new byte[128];
        Arrays.fill(map, (byte) -1);
        for (Codec p : produced) {
            for (Codec o : offered) {
                if (o.name().equalsIgnoreCase(p.name()) && o.clockRate() == p.clockRate()
                        && (answered == null || answered.contains(o.payloadType()))
                        && p.payloadType() >= 0 && p.payloadType() < 128) {
                    map[p.payloadType()] = (byte) o.payloadType();
                    break;
                }
            }
        }
        return map;
    }

    /** A map with nothing deliverable (all -1). */
    static byte[] none() {
        byte[] map = new byte[128];
        Arrays.fill(map, (byte) -1);
        return map;
    }

    /**
     * Payload type → the RTX payload type that repairs it, from a section's codecs (an answer's): each
     * {@code rtx} codec whose {@code apt=} names another codec of the list. -1 elsewhere.
     */
    static byte[] rtx(List<Codec> codecs) {
        byte[] map = none();
        for (Codec r : codecs) {
            int apt = r.associatedPayloadType();
            if (!r.is("rtx") || apt < 0 || apt > 127 || r.payloadType() < 0 || r.payloadType() > 127) {
                continue;
            }
            for (Codec c : codecs) {
                if (c.payloadType() == apt && !c.is("rtx")) {
                    map[apt] = (byte) r.payloadType();
                }
            }
        }
        return map;
    }

    /** Whether the publisher's preferred (first) codec reaches the subscriber. */
    static boolean carriesPrimary(byte[] map, List<Codec> produced) {
        return produced.isEmpty() || map[produced.get(0).payloadType() & 0x7F] >= 0;
    }
}
