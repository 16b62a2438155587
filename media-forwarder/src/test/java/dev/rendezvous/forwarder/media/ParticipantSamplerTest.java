package dev.rendezvous.forwarder.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.forwarder.media.PacketHarness.Client;
import dev.rendezvous.forwarder.media.rtp.RtcpWriter;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Per-participant quality from the packet path's own counters, through real datagrams (the packet harness). */
class ParticipantSamplerTest {

    private static final long SECOND = 1_000_000_000L;
    private PacketHarness h;

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    /** A and B in a room, each receiving the other. */
    private Client[] pair() throws Exception {
        h = new PacketHarness();
        return h.pair();
    }

    private static Map<String, ParticipantQuality> bySocket(List<ParticipantQuality> l) {
        return l.stream().collect(Collectors.toMap(ParticipantQuality::socketId, Function.identity()));
    }

    @Test
    void shouldGiveEachParticipantItsOwnRatesLossAndRttBetweenTwoSamples() throws Exception {
        Client[] ab = pair();
        Client a = ab[0], b = ab[1];
        Collection<Router> rooms = List.of(h.peer("A").router);
        ParticipantSampler sampler = new ParticipantSampler();
        assertThat(sampler.sample(rooms, 0)).as("the first sample only starts the count").isEmpty();

        // A publishes 10 packets but one (seq 105) never arrives; B tells it lost a quarter and when it got A's report
        for (int i = 0; i < 11; i++) {
            if (i != 5) {
                a.sendVideo(100 + i, 3000L * i, i == 0);
            }
        }
        byte[] rr = new byte[128];
        int n = RtcpWriter.writeReceiverReport(rr, 0, 77, 1);
        n += RtcpWriter.writeReportBlock(rr, n, b.offeredSsrc("A", TrackKind.VIDEO), 64, 0, 0, 0, 0, 0);
        b.sendSubscriberRtcp(rr, n);

        Map<String, ParticipantQuality> q = bySocket(sampler.sample(rooms, 2 * SECOND));
        assertThat(q).containsOnlyKeys("A", "B");
        ParticipantQuality pa = q.get("A"), pb = q.get("B");
        assertThat(pa.meetingId()).isEqualTo(PacketHarness.MEETING);
        assertThat(pa.participantId()).isNotBlank();
        assertThat(pa.bitrateInBps()).as("A's own media over 2 s").isPositive();
        assertThat(pb.bitrateOutBps()).as("what is forwarded to B is A's").isEqualTo(pa.bitrateInBps());
        assertThat(pa.bitrateOutBps()).as("B sends nothing").isZero();
        assertThat(pb.bitrateInBps()).isZero();
        assertThat(pa.lossRatio()).as("1 of 11 expected packets missing").isCloseTo(1.0 / 11, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(pb.lossRatio()).as("B reported 64/256 lost").isEqualTo(0.25);
        assertThat(pa.layer()).isEqualTo(-1);

        // nothing sent since: no rate; the loss counted before is not counted again
        Map<String, ParticipantQuality> later = bySocket(sampler.sample(rooms, 7 * SECOND));
        assertThat(later.get("A").bitrateInBps()).isZero();
        assertThat(later.get("B").bitrateOutBps()).isZero();
        assertThat(later.get("A").lossRatio()).isZero();
    }

    @Test
    void shouldNotSampleSomeoneNothingWasMeasuredFor() throws Exception {
        Client a = pair()[0];
        Collection<Router> rooms = List.of(h.peer("A").router);
        ParticipantSampler sampler = new ParticipantSampler();
        sampler.sample(rooms, 0);
        assertThat(sampler.sample(rooms, 5 * SECOND)).as("in the room, no media either way, no reports: zeros would be no sample")
                .isEmpty();

        a.sendVideo(100, 0, true);
        assertThat(bySocket(sampler.sample(rooms, 10 * SECOND))).as("A's media measured, and what B receives of it")
                .containsOnlyKeys("A", "B");
    }
}
