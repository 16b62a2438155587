package dev.rendezvous.forwarder.media.bwe;

import dev.rendezvous.forwarder.media.rtp.Rtcp;
import dev.rendezvous.forwarder.media.rtp.Rtp;
import dev.rendezvous.forwarder.media.rtp.TransportCc;
import dev.rendezvous.forwarder.media.rtp.TransportCcRecorder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * What transport-wide congestion control adds to the packet path, per packet: on a publisher's packet, reading
 * the number and recording it (with a feedback packet written every 50 packets); on a packet to a subscriber,
 * stamping the number and recording the send time; and a round trip of 100 packets to a subscriber (stamped,
 * the receiver's feedback written and read back into the estimator). Run by hand (see docs/benchmarks.md), with {@code -prof gc} to see that
 * nothing is allocated:
 *
 * <pre>
 *   mvn -q -o -pl media-forwarder test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 *   java -cp media-forwarder/target/test-classes:media-forwarder/target/classes:$(cat /tmp/cp.txt) \
 *       dev.rendezvous.forwarder.media.bwe.TransportCcBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TransportCcBenchmark {

    private final byte[] packet = new byte[1200];
    private final byte[] out = new byte[1500];
    private final byte[] feedback = new byte[1500];
    private final long[] arrivals = new long[100];
    private final TransportCc.Writer writer = new TransportCc.Writer(128);
    private int fbCount;
    private final TransportCc.Reader reader = new TransportCc.Reader();
    private final Rtcp.Cursor cursor = new Rtcp.Cursor();
    private TransportCcRecorder recorder;
    private TransportCcSender sender;
    private long now;
    private int seq;

    @Setup
    public void setUp() {
        packet[0] = (byte) 0x90;
        packet[1] = 96;
        packet[12] = (byte) 0xBE;
        packet[13] = (byte) 0xDE;
        packet[15] = 2;
        packet[16] = 0x10; // audio level
        packet[18] = 0x31; // transport-wide number, id 3
        recorder = new TransportCcRecorder();
        sender = new TransportCcSender(new DownlinkEstimator(1_000_000, 30_000, 50_000_000), 0);
    }

    /** Publisher side: one packet's number read and recorded; a feedback packet every 50. */
    @Benchmark
    public int publisherPacket() {
        seq = (seq + 1) & 0xFFFF;
        packet[19] = (byte) (seq >>> 8);
        packet[20] = (byte) seq;
        now += 1_000_000;
        int n = Rtp.transportSequence(packet, 0, packet.length, 3);
        recorder.onPacket(n, 1234, now);
        if (recorder.pending() >= 50) {
            return recorder.writeFeedback(out, 0, 1200, 1, now);
        }
        return n;
    }

    /** Subscriber side: one forwarded packet numbered and its send time recorded. */
    @Benchmark
    public boolean subscriberPacket() {
        now += 1_000_000;
        return sender.stamp(packet, 0, packet.length, 3, now);
    }

    /**
     * A round trip of 100 packets to a subscriber: each stamped, then the feedback a receiver would send for them
     * written, read and run through the estimator. Divide by 100 for the cost per packet.
     */
    @Benchmark
    public long roundTrip100() {
        int base = -1;
        for (int i = 0; i < 100; i++) {
            now += 1_000_000;
            sender.stamp(packet, 0, packet.length, 3, now);
            if (base < 0) {
                base = Rtp.transportSequence(packet, 0, packet.length, 3);
            }
            arrivals[i] = now / 1000 + 20_000;
        }
        int n = writer.write(feedback, 0, 1200, 1, 2, fbCount++, base, arrivals, 0, 100);
        cursor.reset(feedback, 0, n);
        reader.reset(feedback, cursor.offset(), cursor.bodyLength());
        return sender.onFeedback(reader, now);
    }

    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(TransportCcBenchmark.class.getSimpleName()).build()).run();
    }
}
