package dev.rendezvous.forwarder.media;

import dev.rendezvous.forwarder.media.PacketHarness.Client;
import dev.rendezvous.forwarder.media.rtp.Rtp;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A page's camera and microphone as packets, on a simulated clock: VP8-shaped video at 30 frames/s — three
 * simulcast layers (rid q, h, f; 320, 640 and 1280 px wide, each with its own SSRC, sequence and timestamp space)
 * or one stream — and Opus-sized audio every 20 ms. Every packet carries the transport-wide sequence number (as a
 * browser's do); the first frame of each layer also its mid and rid. A frame is split into packets of at most
 * {@value #MAX_PAYLOAD} bytes (marker on the last); a keyframe is {@value #KEYFRAME_FACTOR}× a delta frame and
 * starts with a real VP8 keyframe header (the width). Keyframes come at the start, when the forwarder asks (PLI on
 * the layer's SSRC) and, if set, every {@code keyframeIntervalNanos}. Byte {@value #LAYER_AT} of every video payload
 * names its layer (so a subscriber can tell what it got). Frame sizes vary ±20 % (seeded).
 */
final class SyntheticPublisher {

    static final long[] SIMULCAST_SSRCS = {3001, 3002, 3003};
    static final String[] RIDS = {"q", "h", "f"};
    static final int[] WIDTHS = {320, 640, 1280};
    /** Rates of the page's three encodings (as it configures them), lowest first. */
    static final long[] LAYER_BPS = {150_000, 500_000, 1_500_000};
    static final long SINGLE_SSRC = PacketHarness.VIDEO_SSRC;
    static final int LAYER_AT = 20;
    static final int MAX_PAYLOAD = 1100;
    static final int KEYFRAME_FACTOR = 3;
    static final int FPS = 30;
    static final int AUDIO_PAYLOAD = 80;
    private static final int AUDIO_LEVEL_ID = 1;
    private static final int TWCC_ID = 3;
    private static final int MID_ID = 4;
    private static final int RID_ID = 10;
    private static final long FRAME_NANOS = 1_000_000_000L / FPS;
    private static final long AUDIO_NANOS = 20_000_000L;

    final Client client;
    private final PacketHarness h;
    private final long[] ssrcs;
    private final long[] rates;
    private final int[] seq;
    private final long[] ts;
    private final long[] nextFrameNanos;
    private final long[] lastKeyframeNanos;
    private final boolean[] keyframeDue;
    private final boolean[] named;
    private final long keyframeIntervalNanos;
    private final Random random;
    private int transportSeq;
    private int audioSeq = 7000;
    private long audioTs = 123_456;
    private long nextAudioNanos;
    private long packetsSent;
    private long bytesSent;

    /**
     * @param simulcast             three layers at {@link #LAYER_BPS}, else one stream at the top rate
     * @param keyframeIntervalNanos a keyframe of every layer this often (0: only at the start and on PLI)
     * @param startNanos            the first frame's time
     */
    SyntheticPublisher(PacketHarness h, Client client, boolean simulcast, long keyframeIntervalNanos, long startNanos,
                       long seed) {
        this.h = h;
        this.client = client;
        this.ssrcs = simulcast ? SIMULCAST_SSRCS.clone() : new long[] {SINGLE_SSRC};
        this.rates = simulcast ? LAYER_BPS.clone() : new long[] {LAYER_BPS[2]};
        int n = ssrcs.length;
        this.random = new Random(seed);
        this.seq = new int[n];
        this.ts = new long[n];
        this.nextFrameNanos = new long[n];
        this.lastKeyframeNanos = new long[n];
        this.keyframeDue = new boolean[n];
        this.named = new boolean[n];
        for (int i = 0; i < n; i++) {
            seq[i] = random.nextInt(0x10000);  // each RTP stream starts at its own random numbers
            ts[i] = random.nextInt() & 0xFFFFFFFFL;
            nextFrameNanos[i] = startNanos;
            keyframeDue[i] = true;
            named[i] = simulcast;
        }
        this.keyframeIntervalNanos = keyframeIntervalNanos;
        this.nextAudioNanos = startNanos;
        this.transportSeq = random.nextInt(0x10000);
    }

    /** The page's simulcast publish offer (Chromium's, three rids). */
    static String simulcastOffer() {
        try (InputStream in = SyntheticPublisher.class.getResourceAsStream("/sdp/chromium-simulcast-offer.sdp")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The forwarder asked for a keyframe of the stream {@code ssrc}: the next frame of it is one. */
    void onPli(long ssrc) {
        for (int i = 0; i < ssrcs.length; i++) {
            if (ssrcs[i] == ssrc) {
                keyframeDue[i] = true;
            }
        }
    }

    /** Reads the forwarder's keyframe requests sent to this page's publish connection (and drops its other RTCP). */
    void readRequests() {
        for (long ssrc : client.plisReceived()) {
            onPli(ssrc);
        }
    }

    /** Sends every packet due by {@code nowNanos}, each delivered at {@code nowNanos}. */
    void sendDue(long nowNanos) {
        while (nextAudioNanos <= nowNanos) {
            sendAudio(nowNanos);
            nextAudioNanos += AUDIO_NANOS;
        }
        for (int i = 0; i < ssrcs.length; i++) {
            while (nextFrameNanos[i] <= nowNanos) {
                sendFrame(i, nowNanos);
                nextFrameNanos[i] += FRAME_NANOS;
            }
        }
    }

    private void sendFrame(int layer, long now) {
        if (keyframeIntervalNanos > 0 && now - lastKeyframeNanos[layer] >= keyframeIntervalNanos) {
            keyframeDue[layer] = true;
        }
        boolean key = keyframeDue[layer];
        keyframeDue[layer] = false;
        if (key) {
            lastKeyframeNanos[layer] = now;
        }
        double jitter = 0.8 + 0.4 * random.nextDouble();
        int size = (int) (rates[layer] / 8 / FPS * jitter * (key ? KEYFRAME_FACTOR : 1));
        int packets = Math.max(1, (size + MAX_PAYLOAD - 1) / MAX_PAYLOAD);
        int each = Math.max(LAYER_AT + 1, size / packets);
        int spatial = ssrcs.length == 1 ? 2 : layer;
        for (int p = 0; p < packets; p++) {
            byte[] payload = new byte[each];
            if (p == 0) {
                payload[0] = 0x10;                        // VP8 descriptor: S=1, PID=0
                payload[1] = (byte) (key ? 0x50 : 0x51);  // frame tag: P=0 is a keyframe
                if (key) {
                    payload[4] = (byte) 0x9d;
                    payload[5] = 0x01;
                    payload[6] = 0x2a;
                    int w = WIDTHS[spatial];
                    int hgt = w * 9 / 16;
                    payload[7] = (byte) w;
                    payload[8] = (byte) (w >> 8);
                    payload[9] = (byte) hgt;
                    payload[10] = (byte) (hgt >> 8);
                }
            }
            payload[LAYER_AT] = (byte) spatial;
            byte[] ext = named[layer]
                    ? new byte[] {(byte) (MID_ID << 4), '1', (byte) (RID_ID << 4), (byte) RIDS[layer].charAt(0),
                            (byte) (TWCC_ID << 4 | 1), (byte) (transportSeq >> 8), (byte) transportSeq, 0}
                    : new byte[] {(byte) (TWCC_ID << 4 | 1), (byte) (transportSeq >> 8), (byte) transportSeq, 0};
            transportSeq = (transportSeq + 1) & 0xFFFF;
            send(PacketHarness.VP8, ssrcs[layer], seq[layer], ts[layer], p == packets - 1, ext, payload, now);
            seq[layer] = (seq[layer] + 1) & 0xFFFF;
        }
        named[layer] = false;
        ts[layer] = (ts[layer] + 90_000 / FPS) & 0xFFFFFFFFL;
    }

    private void sendAudio(long now) {
        byte[] ext = {(byte) (AUDIO_LEVEL_ID << 4), 0x7F, (byte) (TWCC_ID << 4 | 1), (byte) (transportSeq >> 8),
                (byte) transportSeq, 0, 0, 0};
        transportSeq = (transportSeq + 1) & 0xFFFF;
        send(PacketHarness.OPUS, PacketHarness.AUDIO_SSRC, audioSeq, audioTs, false, ext, new byte[AUDIO_PAYLOAD], now);
        audioSeq = (audioSeq + 1) & 0xFFFF;
        audioTs += 960;
    }

    private void send(int pt, long ssrc, int sequence, long timestamp, boolean marker, byte[] ext, byte[] payload,
                      long now) {
        int header = 12 + 4 + ext.length;
        byte[] b = new byte[header + payload.length + 16];
        b[0] = (byte) 0x90;
        b[1] = (byte) (pt | (marker ? 0x80 : 0));
        Rtp.setSequence(b, 0, sequence);
        Rtp.setTimestamp(b, 0, timestamp);
        Rtp.setSsrc(b, 0, ssrc);
        b[12] = (byte) 0xBE;
        b[13] = (byte) 0xDE;
        b[15] = (byte) (ext.length / 4);
        System.arraycopy(ext, 0, b, 16, ext.length);
        System.arraycopy(payload, 0, b, header, payload.length);
        int n = client.publishOut.protectRtp(b, 0, header + payload.length);
        packetsSent++;
        bytesSent += n;
        h.deliverAt(client.publishAddress, Arrays.copyOf(b, n), now);
    }

    long packetsSent() {
        return packetsSent;
    }

    long bytesSent() {
        return bytesSent;
    }

    /** The layer a video payload names ({@link #LAYER_AT}), from a plain RTP packet. */
    static int layerOf(byte[] rtp, int len) {
        int header = Rtp.headerLength(rtp, 0, len);
        return header < 0 || header + LAYER_AT >= len ? -1 : rtp[header + LAYER_AT];
    }

    /** Whether a plain VP8 RTP packet starts a keyframe: S=1 and PID=0 in the descriptor, P=0 in the frame tag. */
    static boolean startsKeyframe(byte[] rtp, int len) {
        int header = Rtp.headerLength(rtp, 0, len);
        return header >= 0 && header + 2 <= len && (rtp[header] & 0x17) == 0x10 && (rtp[header + 1] & 0x01) == 0;
    }

    List<Long> ssrcs() {
        return Arrays.stream(ssrcs).boxed().toList();
    }
}
