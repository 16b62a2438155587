package dev.rendezvous.forwarder.sdp;

import static dev.rendezvous.forwarder.sdp.SessionDescription.MAX_LENGTH;
import static dev.rendezvous.forwarder.sdp.SessionDescription.MAX_MEDIA;
import static dev.rendezvous.forwarder.sdp.SessionDescription.MAX_RIDS;

import dev.rendezvous.forwarder.sdp.SessionDescription.Codec;
import dev.rendezvous.forwarder.sdp.SessionDescription.Direction;
import dev.rendezvous.forwarder.sdp.SessionDescription.Media;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the text of a session description into a {@link SessionDescription} (behind
 * {@link SessionDescription#parse}): the session-level lines (the BUNDLE group, and the ICE and DTLS parameters
 * where Firefox writes them), then each m-section's lines into a {@link MediaBuilder}, which takes the
 * session-level values for what its section does not say itself.
 *
 * <p>Parsing is lenient about lines it does not know and strict about what it uses: a description without
 * {@code v=0}, without any m-line, with a malformed m-line, or with an m-line that has no mid (or one longer than
 * 32 characters) is refused with {@link SdpException}. Limits (length, m-lines, codecs, SSRCs, rids) keep a
 * hostile offer from costing much.
 */
final class SdpParser {

    private SdpParser() {}

    /** See {@link SessionDescription#parse}. */
    static SessionDescription parse(String sdp) {
        if (sdp == null || sdp.isBlank()) {
            throw new SdpException("empty session description");
        }
        if (sdp.length() > MAX_LENGTH) {
            throw new SdpException("session description longer than " + MAX_LENGTH + " characters");
        }
        String[] lines = sdp.split("\r?\n");
        if (!lines[0].trim().equals("v=0")) {
            throw new SdpException("a session description starts with v=0");
        }
        List<String> bundle = new ArrayList<>();
        String sessionUfrag = null, sessionPwd = null, sessionFingerprint = null, sessionSetup = null;
        List<MediaBuilder> builders = new ArrayList<>();
        MediaBuilder current = null;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.length() < 2 || line.charAt(1) != '=') {
                continue;
            }
            char type = line.charAt(0);
            String value = line.substring(2);
            if (type == 'm') {
                if (builders.size() >= MAX_MEDIA) {
                    throw new SdpException("more than " + MAX_MEDIA + " m-lines");
                }
                current = MediaBuilder.of(value);
                builders.add(current);
                continue;
            }
            if (type != 'a') {
                continue;
            }
            int colon = value.indexOf(':');
            String name = colon < 0 ? value : value.substring(0, colon);
            String arg = colon < 0 ? "" : value.substring(colon + 1);
            if (current == null) {
                switch (name) {
                    case "group" -> {
                        String[] parts = arg.trim().split("\\s+");
                        if (parts.length > 0 && parts[0].equals("BUNDLE")) {
                            for (int i = 1; i < parts.length; i++) {
                                bundle.add(parts[i]);
                            }
                        }
                    }
                    case "ice-ufrag" -> sessionUfrag = arg.trim();
                    case "ice-pwd" -> sessionPwd = arg.trim();
                    case "fingerprint" -> sessionFingerprint = sha256(arg, sessionFingerprint);
                    case "setup" -> sessionSetup = arg.trim();
                    default -> { }
                }
            } else {
                current.attribute(name, arg);
            }
        }
        if (builders.isEmpty()) {
            throw new SdpException("no m-line in the session description");
        }
        List<Media> media = new ArrayList<>(builders.size());
        for (MediaBuilder b : builders) {
            media.add(b.build(sessionUfrag, sessionPwd, sessionFingerprint, sessionSetup));
        }
        return new SessionDescription(media, bundle);
    }

    static String sha256(String fingerprintArg, String previous) {
        String[] parts = fingerprintArg.trim().split("\\s+");
        if (parts.length == 2 && parts[0].equalsIgnoreCase("sha-256")) {
            return parts[1].toUpperCase(Locale.ROOT);
        }
        return previous;
    }

    /** One m-section's lines as they are read; {@link #build} makes its {@link Media}. */
    private static final class MediaBuilder {
        final String kind;
        final int port;
        final String protocol;
        final List<Integer> payloadTypes = new ArrayList<>();
        final Map<Integer, String[]> rtpmap = new LinkedHashMap<>();
        final Map<Integer, String> fmtp = new LinkedHashMap<>();
        final Map<Integer, List<String>> feedback = new LinkedHashMap<>();
        final Map<Integer, String> extensions = new LinkedHashMap<>();
        final List<Long> ssrcs = new ArrayList<>();
        final List<long[]> fid = new ArrayList<>();
        final List<String> ridsSent = new ArrayList<>();
        List<String> simulcastSend;
        String mid, msid, ufrag, pwd, fingerprint, setup;
        Direction direction = Direction.SENDRECV;
        boolean rtcpMux;

        static MediaBuilder of(String mline) {
            String[] parts = mline.trim().split("\\s+");
            if (parts.length < 3) {
                throw new SdpException("malformed m-line: " + abbreviate(mline));
            }
            int port;
            try {
                port = Integer.parseInt(beforeSlash(parts[1]));
            } catch (NumberFormatException e) {
                throw new SdpException("malformed m-line port: " + abbreviate(mline));
            }
            MediaBuilder b = new MediaBuilder(parts[0].toLowerCase(Locale.ROOT), port, parts[2]);
            for (int i = 3; i < parts.length && b.payloadTypes.size() < 64; i++) {
                try {
                    b.payloadTypes.add(Integer.parseInt(parts[i]));
                } catch (NumberFormatException e) {
                    // application m-lines carry names (webrtc-datachannel), not payload types
                }
            }
            return b;
        }

        MediaBuilder(String kind, int port, String protocol) {
            this.kind = kind;
            this.port = port;
            this.protocol = protocol;
        }

        void attribute(String name, String arg) {
            switch (name) {
                case "mid" -> mid = arg.trim();
                case "msid" -> msid = arg.trim();
                case "ice-ufrag" -> ufrag = arg.trim();
                case "ice-pwd" -> pwd = arg.trim();
                case "fingerprint" -> fingerprint = sha256(arg, fingerprint);
                case "setup" -> setup = arg.trim();
                case "rtcp-mux" -> rtcpMux = true;
                case "sendrecv" -> direction = Direction.SENDRECV;
                case "sendonly" -> direction = Direction.SENDONLY;
                case "recvonly" -> direction = Direction.RECVONLY;
                case "inactive" -> direction = Direction.INACTIVE;
                case "rtpmap" -> {
                    int sp = arg.indexOf(' ');
                    Integer pt = pt(arg, sp);
                    if (pt != null && sp > 0) {
                        rtpmap.put(pt, arg.substring(sp + 1).trim().split("/"));
                    }
                }
                case "fmtp" -> {
                    int sp = arg.indexOf(' ');
                    Integer pt = pt(arg, sp);
                    if (pt != null && sp > 0) {
                        fmtp.put(pt, arg.substring(sp + 1).trim());
                    }
                }
                case "rtcp-fb" -> {
                    int sp = arg.indexOf(' ');
                    Integer pt = pt(arg, sp);
                    if (pt != null && sp > 0) {
                        List<String> l = feedback.computeIfAbsent(pt, k -> new ArrayList<>());
                        if (l.size() < 16) {
                            l.add(arg.substring(sp + 1).trim());
                        }
                    }
                }
                case "extmap" -> {
                    String[] parts = arg.trim().split("\\s+");
                    if (parts.length >= 2 && extensions.size() < 32) {
                        try {
                            int id = Integer.parseInt(beforeSlash(parts[0]));
                            if (id >= 1 && id <= 255) {
                                extensions.put(id, parts[1]);
                            }
                        } catch (NumberFormatException e) {
                            // ignored: a malformed extmap is not used
                        }
                    }
                }
                case "ssrc" -> {
                    int sp = arg.indexOf(' ');
                    String s = sp < 0 ? arg.trim() : arg.substring(0, sp);
                    long ssrc = parseSsrc(s);
                    if (ssrc >= 0 && !ssrcs.contains(ssrc) && ssrcs.size() < 16) {
                        ssrcs.add(ssrc);
                    }
                }
                case "rid" -> {
                    String[] parts = arg.trim().split("\\s+");
                    if (parts.length >= 2 && parts[1].equals("send") && validRid(parts[0])
                            && !ridsSent.contains(parts[0]) && ridsSent.size() < MAX_RIDS) {
                        ridsSent.add(parts[0]);
                    }
                }
                case "simulcast" -> simulcastSend = simulcastSend(arg);
                case "ssrc-group" -> {
                    String[] parts = arg.trim().split("\\s+");
                    if (parts.length == 3 && parts[0].equals("FID") && fid.size() < 8) {
                        long a = parseSsrc(parts[1]);
                        long b = parseSsrc(parts[2]);
                        if (a >= 0 && b >= 0) {
                            fid.add(new long[] {a, b});
                        }
                    }
                }
                default -> { }
            }
        }

        private static Integer pt(String arg, int sp) {
            if (sp <= 0) {
                return null;
            }
            try {
                int pt = Integer.parseInt(arg.substring(0, sp).trim());
                return pt >= 0 && pt <= 127 ? pt : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }

        private static long parseSsrc(String s) {
            try {
                long v = Long.parseLong(s.trim());
                return v >= 0 && v <= 0xFFFFFFFFL ? v : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        Media build(String sessionUfrag, String sessionPwd, String sessionFingerprint, String sessionSetup) {
            if (mid == null || mid.isEmpty()) {
                throw new SdpException("an m-line has no a=mid (Unified Plan with BUNDLE is required)");
            }
            if (mid.length() > 32) {
                throw new SdpException("a=mid longer than 32 characters");
            }
            String u = ufrag != null ? ufrag : sessionUfrag;
            String p = pwd != null ? pwd : sessionPwd;
            String f = fingerprint != null ? fingerprint : sessionFingerprint;
            String s = setup != null ? setup : sessionSetup;
            List<Codec> codecs = new ArrayList<>();
            for (int pt : payloadTypes) {
                String[] map = rtpmap.get(pt);
                if (map == null || map.length < 2) {
                    continue; // static payload types without rtpmap (PCMU 0, PCMA 8) are not used by us
                }
                int rate;
                try {
                    rate = Integer.parseInt(map[1]);
                } catch (NumberFormatException e) {
                    continue;
                }
                int channels = 1;
                if (map.length > 2) {
                    try {
                        channels = Integer.parseInt(map[2]);
                    } catch (NumberFormatException e) {
                        channels = 1;
                    }
                }
                codecs.add(new Codec(pt, map[0], rate, channels, fmtp.get(pt), feedback.getOrDefault(pt, List.of())));
            }
            return new Media(kind, port, protocol, mid, direction, codecs, extensions, ssrcs, fid, msid, u, p, f, s,
                    rtcpMux, sendRids());
        }

        /** The layers sent: a=simulcast's send list restricted to rids declared to send, else the a=rid order. */
        private List<String> sendRids() {
            if (simulcastSend == null) {
                return ridsSent.size() > 1 ? ridsSent : List.of();
            }
            List<String> out = new ArrayList<>();
            for (String rid : simulcastSend) {
                if (ridsSent.contains(rid) && !out.contains(rid)) {
                    out.add(rid);
                }
            }
            return out.size() > 1 ? out : List.of();
        }

        /**
         * The send direction of an {@code a=simulcast} value (RFC 8853: {@code send a;b,c recv d}; alternatives
         * separated by commas, the first one taken; a leading {@code ~} marks a layer paused at first), or null.
         */
        private static List<String> simulcastSend(String arg) {
            String[] parts = arg.trim().split("\\s+");
            for (int i = 0; i + 1 < parts.length; i += 2) {
                if (parts[i].equals("send")) {
                    List<String> out = new ArrayList<>();
                    for (String layer : parts[i + 1].split(";")) {
                        String first = layer.split(",")[0];
                        String rid = first.startsWith("~") ? first.substring(1) : first;
                        if (validRid(rid) && out.size() < MAX_RIDS) {
                            out.add(rid);
                        }
                    }
                    return out;
                }
            }
            return null;
        }
    }

    /**
     * RFC 8851 rid-id syntax (letters, digits, '-', '_'), at most 16 characters: a longer one would not fit a
     * one-byte header extension element, which is how browsers send it.
     */
    static boolean validRid(String rid) {
        if (rid.isEmpty() || rid.length() > 16) {
            return false;
        }
        for (int i = 0; i < rid.length(); i++) {
            char c = rid.charAt(i);
            if (!(c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_'))) {
                return false;
            }
        }
        return true;
    }

    private static String beforeSlash(String s) {
        int i = s.indexOf('/');
        return i < 0 ? s : s.substring(0, i);
    }

    static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
