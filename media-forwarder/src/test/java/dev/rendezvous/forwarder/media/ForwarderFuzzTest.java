package dev.rendezvous.forwarder.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.forwarder.media.PacketHarness.Client;
import dev.rendezvous.forwarder.media.rtp.RtcpWriter;
import dev.rendezvous.forwarder.media.rtp.Rtp;
import dev.rendezvous.forwarder.media.stun.StunRequests;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * 100,000+ random and mutated datagrams of every class (STUN, DTLS, SRTP, SRTCP, garbage) from the call's own
 * addresses and from strangers, interleaved with a call in progress: no exception escapes a stage, every
 * datagram ends in exactly one counted outcome, and the call keeps flowing.
 */
class ForwarderFuzzTest {

    private static final int PER_CLASS = 21_000;

    @Test
    void shouldCountEveryDroppedDatagramAndKeepTheCallGoingUnderRandomAndMutatedInput() throws Exception {
        Random random = new Random(20261205);
        try (PacketHarness h = new PacketHarness()) {
            Client a = h.client("A").join();
            Client b = h.client("B").join();
            a.answer();
            b.answer();
            Transport sub = h.peer("B").subscribe;

            // valid material to mutate: STUN checks, SRTP media, SRTCP reports, all as the call's own ends send them
            List<byte[]> valid = new ArrayList<>();
            valid.add(StunRequests.binding(sub.localUfrag + ":cB", sub.localPwd, true, true, new byte[12]));
            int[] seq = {100};
            int[] rtxSeq = {5000};
            long[] ts = {0};
            List<byte[]> srtp = capture(h, a, () -> a.sendVideo(seq[0]++, ts[0] += 3000, seq[0] % 30 == 1));
            byte[] rr = new byte[64];
            int rrLen = RtcpWriter.writeReceiverReport(rr, 0, 77, 1);
            rrLen += RtcpWriter.writeReportBlock(rr, rrLen, b.offeredSsrc("A", TrackKind.VIDEO), 3, 1, 100, 5, 0, 0);
            byte[] srtcp = Arrays.copyOf(rr, rrLen + 64);
            int n = b.subscribeOut.protectRtcp(srtcp, 0, rrLen);
            valid.add(Arrays.copyOf(srtcp, n));
            valid.addAll(srtp);
            b.receivedRtp();

            InetSocketAddress[] sources = {a.publishAddress, b.subscribeAddress, b.publishAddress,
                    new InetSocketAddress("127.0.0.9", 9999), new InetSocketAddress("127.0.0.1", 1)};
            long receivedBefore = h.engine.packetsIn();
            int forwardedReal = 0;
            int sent = 0;
            for (int kind = 0; kind < 5; kind++) {
                for (int i = 0; i < PER_CLASS; i++) {
                    byte[] d = switch (kind) {
                        case 0 -> stun(random, valid.get(0));
                        case 1 -> dtls(random);
                        case 2 -> mutate(random, valid.get(2 + random.nextInt(valid.size() - 2)), false);
                        case 3 -> mutate(random, valid.get(1), true);
                        default -> garbage(random);
                    };
                    h.deliver(sources[random.nextInt(sources.length)], d);
                    sent++;
                    if (i % 500 == 0) { // the call goes on meanwhile, consent checks included
                        a.sendVideo(seq[0]++, ts[0] += 3000, false);
                        a.keepAlive();
                        b.keepAlive();
                        forwardedReal++;
                        sent += 5;
                        // and on its RTX SSRC (the offer's FID 2001 2002, rtx 97): a padding-only probe, and a
                        // redundant copy of the packet just sent, both dropped with their own outcome
                        byte[] osnAndPayload = new byte[102];
                        osnAndPayload[0] = (byte) ((seq[0] - 1) >>> 8);
                        osnAndPayload[1] = (byte) (seq[0] - 1);
                        a.sendRtp(a.publishAddress, 97, 2002, rtxSeq[0]++, ts[0], new byte[0]);
                        a.sendRtp(a.publishAddress, 97, 2002, rtxSeq[0]++, ts[0], osnAndPayload);
                        sent += 2;
                    }
                }
            }
            assertThat(sent).isGreaterThanOrEqualTo(100_000);
            assertThat(h.stage("rtx", "padding")).isPositive();
            assertThat(h.stage("rtx", "duplicate")).isPositive();
            assertThat(h.stage("engine", "error")).as("no exception escaped a stage").isZero();
            long terminal = 0;
            for (String pair : PathCounters.TERMINAL) {
                String[] p = pair.split(",");
                terminal += h.stage(p[0], p[1]);
            }
            long received = h.engine.packetsIn();
            assertThat(terminal).as("each datagram ends in exactly one counted outcome").isEqualTo(received);
            assertThat(received - receivedBefore).isEqualTo(sent);

            long ssrc = b.offeredSsrc("A", TrackKind.VIDEO);
            List<byte[]> video = b.receivedRtp().stream().filter(p -> Rtp.ssrc(p, 0) == ssrc).toList();
            assertThat(video.size()).as("every real packet of the call still reached B").isGreaterThanOrEqualTo(forwardedReal);
            for (int i = 0; i < 10; i++) {
                a.sendVideo(seq[0]++, ts[0] += 3000, false);
            }
            assertThat(b.receivedRtp().stream().filter(p -> Rtp.ssrc(p, 0) == ssrc)).hasSize(10);
            assertThat(h.peer("B").subscribe.remote).isEqualTo(b.subscribeAddress);
            assertThat(h.peer("A").publish.remote).isEqualTo(a.publishAddress);
        }
    }

    /** The datagrams a client action delivered, as sent (material for mutation). */
    private static List<byte[]> capture(PacketHarness h, Client a, Runnable action) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            action.run();
            out.add(h.lastDelivered);
        }
        return out;
    }

    private static byte[] stun(Random r, byte[] valid) {
        if (r.nextBoolean()) {
            return mutate(r, valid, false);
        }
        byte[] b = new byte[r.nextInt(120)];
        r.nextBytes(b);
        if (b.length > 0) {
            b[0] = (byte) r.nextInt(4);
        }
        if (b.length >= 8) { // often with the magic cookie, so the parser gets further
            b[4] = 0x21;
            b[5] = 0x12;
            b[6] = (byte) 0xA4;
            b[7] = 0x42;
        }
        return b;
    }

    private static byte[] dtls(Random r) {
        byte[] b = new byte[1 + r.nextInt(300)];
        r.nextBytes(b);
        b[0] = (byte) (20 + r.nextInt(44));
        return b;
    }

    private static byte[] garbage(Random r) {
        byte[] b = new byte[r.nextInt(1500)];
        r.nextBytes(b);
        return b;
    }

    /** A valid datagram with bit flips, a truncation, an extension or as it was (a replay). */
    private static byte[] mutate(Random r, byte[] valid, boolean keepRtcpType) {
        byte[] b = Arrays.copyOf(valid, valid.length);
        switch (r.nextInt(4)) {
            case 0 -> {
                for (int k = 1 + r.nextInt(4); k > 0; k--) {
                    int i = r.nextInt(b.length);
                    b[i] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 1 -> b = Arrays.copyOf(b, r.nextInt(b.length + 1));
            case 2 -> {
                b = Arrays.copyOf(b, b.length + 1 + r.nextInt(40));
            }
            default -> { } // replayed as it was
        }
        if (b.length > 1) {
            b[0] = (byte) (0x80 | (b[0] & 0x3F));
            if (keepRtcpType) {
                b[1] = (byte) (192 + r.nextInt(32));
            }
        }
        return b;
    }
}
