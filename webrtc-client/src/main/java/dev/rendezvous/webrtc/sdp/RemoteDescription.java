package dev.rendezvous.webrtc.sdp;

import dev.rendezvous.forwarder.sdp.SdpException;
import dev.rendezvous.forwarder.sdp.SessionDescription;
import dev.rendezvous.forwarder.sdp.SessionDescription.Media;
import java.net.InetSocketAddress;

/**
 * What the client needs from a forwarder description (its publish answer or a subscribe offer): the parsed
 * sections (by the forwarder's own {@link SessionDescription} parser), the ICE credentials and DTLS
 * fingerprint of the first active section (BUNDLE: one transport), and the host candidates to send checks to.
 *
 * @param candidate    the UDP host candidate, or null when there is none (then {@code tcpCandidate} is set)
 * @param tcpCandidate the passive ICE-TCP host candidate (RFC 6544), or null
 */
public record RemoteDescription(SessionDescription description, String ufrag, String pwd, String fingerprint,
                                InetSocketAddress candidate, InetSocketAddress tcpCandidate) {

    /** Parses {@code sdp}; throws {@link SdpException} when it has no active section or no usable candidate. */
    public static RemoteDescription parse(String sdp) {
        SessionDescription d = SessionDescription.parse(sdp);
        Media first = null;
        for (Media m : d.media()) {
            if (!m.rejected()) {
                first = m;
                break;
            }
        }
        if (first == null) {
            return new RemoteDescription(d, null, null, null, null, null);
        }
        if (first.iceUfrag() == null || first.icePwd() == null || first.fingerprintSha256() == null) {
            throw new SdpException("the forwarder's description lacks ICE credentials or a fingerprint");
        }
        InetSocketAddress udp = candidate(sdp, "udp");
        InetSocketAddress tcp = candidate(sdp, "tcp");
        if (udp == null && tcp == null) {
            throw new SdpException("no UDP or passive TCP host candidate in the forwarder's description");
        }
        return new RemoteDescription(d, first.iceUfrag(), first.icePwd(), first.fingerprintSha256(), udp, tcp);
    }

    /** True when some section is active (a transport is described). */
    public boolean hasTransport() {
        return ufrag != null;
    }

    /**
     * The first host candidate of {@code protocol}: {@code a=candidate:<foundation> 1 udp <prio> <ip> <port> typ
     * host}, or for TCP one with {@code tcptype passive}; null when there is none.
     */
    static InetSocketAddress candidate(String sdp, String protocol) {
        for (String line : sdp.split("\r?\n")) {
            if (!line.startsWith("a=candidate:")) {
                continue;
            }
            String[] f = line.substring("a=candidate:".length()).trim().split("\\s+");
            boolean passive = !protocol.equals("tcp") || line.contains(" tcptype passive");
            if (f.length >= 8 && f[2].equalsIgnoreCase(protocol) && f[1].equals("1") && passive) {
                try {
                    return new InetSocketAddress(f[4], Integer.parseInt(f[5]));
                } catch (IllegalArgumentException e) {
                    throw new SdpException("unusable candidate: " + line);
                }
            }
        }
        return null;
    }
}
