package dev.rendezvous.webrtc.sdp;

import dev.rendezvous.forwarder.sdp.SdpException;
import dev.rendezvous.forwarder.sdp.SessionDescription;
import dev.rendezvous.forwarder.sdp.SessionDescription.Media;
import java.net.InetSocketAddress;

/**
 * What the client needs from a forwarder description (its publish answer or a subscribe offer): the parsed
 * sections (by the forwarder's own {@link SessionDescription} parser), the ICE credentials and DTLS
 * fingerprint of the first active section (BUNDLE: one transport), and the host candidate to send checks to.
 */
public record RemoteDescription(SessionDescription description, String ufrag, String pwd, String fingerprint,
                                InetSocketAddress candidate) {

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
            return new RemoteDescription(d, null, null, null, null);
        }
        if (first.iceUfrag() == null || first.icePwd() == null || first.fingerprintSha256() == null) {
            throw new SdpException("the forwarder's description lacks ICE credentials or a fingerprint");
        }
        return new RemoteDescription(d, first.iceUfrag(), first.icePwd(), first.fingerprintSha256(), candidate(sdp));
    }

    /** True when some section is active (a transport is described). */
    public boolean hasTransport() {
        return ufrag != null;
    }

    /** The first UDP host candidate: {@code a=candidate:<foundation> <component> udp <prio> <ip> <port> typ host}. */
    static InetSocketAddress candidate(String sdp) {
        for (String line : sdp.split("\r?\n")) {
            if (!line.startsWith("a=candidate:")) {
                continue;
            }
            String[] f = line.substring("a=candidate:".length()).trim().split("\\s+");
            if (f.length >= 8 && f[2].equalsIgnoreCase("udp") && f[1].equals("1")) {
                try {
                    return new InetSocketAddress(f[4], Integer.parseInt(f[5]));
                } catch (IllegalArgumentException e) {
                    throw new SdpException("unusable candidate: " + line);
                }
            }
        }
        throw new SdpException("no UDP host candidate in the forwarder's description");
    }
}
