package dev.rendezvous.forwarder.media.stun;

/**
 * The STUN wire constants (RFC 5389, ICE attributes from RFC 8445) that both ends use: the forwarder's
 * binding responder and the Java client's binding requests.
 */
public final class Stun {

    public static final int HEADER = 20;
    public static final int MAGIC_COOKIE = 0x2112A442;
    public static final int BINDING_REQUEST = 0x0001;
    public static final int BINDING_SUCCESS = 0x0101;
    public static final int ATTR_USERNAME = 0x0006;
    public static final int ATTR_MESSAGE_INTEGRITY = 0x0008;
    public static final int ATTR_XOR_MAPPED_ADDRESS = 0x0020;
    public static final int ATTR_PRIORITY = 0x0024;
    public static final int ATTR_USE_CANDIDATE = 0x0025;
    public static final int ATTR_ICE_CONTROLLING = 0x802A;
    public static final int ATTR_FINGERPRINT = 0x8028;
    /** XORed into the CRC-32 of a FINGERPRINT attribute. */
    public static final int FINGERPRINT_XOR = 0x5354554E;

    private Stun() {
    }
}
