package dev.rendezvous.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.analytics.MeetingFacts.SocketStay;
import dev.rendezvous.analytics.MeetingReport.Person;
import dev.rendezvous.analytics.MeetingReport.Point;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeetingReportTest {

    private static final long T0 = Instant.parse("2026-12-05T10:00:00Z").toEpochMilli();

    private static SocketStay stay(String socket, String who, String name, long fromS, long toS) {
        return new SocketStay(socket, who, name, T0 + fromS * 1000, toS < 0 ? -1 : T0 + toS * 1000);
    }

    private static final List<SocketStay> MEETING = List.of(
            stay("s-a", "u-alice", "Alice", 0, 300),
            stay("s-a2", "u-alice", "", 100, 200),          // a second tab while the first is open: counted once
            stay("s-b", "u-bob", "Bob", 60, 240),
            stay("s-c", "guest:carol", "Carol", 150, 210),
            stay("s-c2", "guest:carol", "Carol", 250, 280)); // back after a gap

    @Test
    void shouldMergeEachPersonsStaysAndFollowThePeopleInOverTime() {
        MeetingFacts.Quality q = new MeetingFacts.Quality("u-bob", 4, 8e5, 2.4e6, 0.03, 60, 7);
        MeetingReport r = MeetingReport.of("m1", new MeetingFacts.Facts(MEETING, 3,
                        List.of(new MeetingFacts.ChatMinute(1, 2), new MeetingFacts.ChatMinute(4, 1)), List.of(q)),
                Instant.ofEpochMilli(T0 + 999_000));

        assertThat(r.startedAt()).isEqualTo(Instant.ofEpochMilli(T0));
        assertThat(r.endedAt()).isEqualTo(Instant.ofEpochMilli(T0 + 300_000));
        assertThat(r.durationMs()).isEqualTo(300_000);
        assertThat(r.peakParticipants()).isEqualTo(3);
        assertThat(r.chatMessages()).isEqualTo(3);
        assertThat(r.chatTimeline()).containsExactly(new MeetingReport.ChatPoint(60_000, 2),
                new MeetingReport.ChatPoint(240_000, 1));
        assertThat(r.participants()).containsExactly(
                new Person("u-alice", "Alice", 0, 300_000),
                new Person("u-bob", "Bob", 60_000, 180_000),
                new Person("guest:carol", "Carol", 150_000, 90_000));
        assertThat(r.timeline()).containsExactly(new Point(0, 1), new Point(60_000, 2), new Point(150_000, 3),
                new Point(210_000, 2), new Point(240_000, 1), new Point(250_000, 2), new Point(280_000, 1),
                new Point(300_000, 0));
        assertThat(r.quality()).singleElement().satisfies(x -> {
            assertThat(x.displayName()).isEqualTo("Bob");
            assertThat(x.samples()).isEqualTo(4);
            assertThat(x.lossRatio()).isEqualTo(0.03);
        });
    }

    @Test
    void shouldRunToNowWhileSomeoneIsStillIn() {
        List<SocketStay> stays = List.of(stay("s-a", "u-alice", "Alice", 0, 100), stay("s-d", "u-dave", "Dave", 50, -1));
        MeetingReport r = MeetingReport.of("m1", new MeetingFacts.Facts(stays, 0, List.of()),
                Instant.ofEpochMilli(T0 + 400_000));
        assertThat(r.endedAt()).isNull();
        assertThat(r.durationMs()).isEqualTo(400_000);
        assertThat(r.participants()).extracting(Person::presentMs).containsExactly(100_000L, 350_000L);
        assertThat(r.peakParticipants()).isEqualTo(2);
    }

    @Test
    void shouldAnswerZerosForAMeetingWithoutAnyStay() {
        MeetingReport r = MeetingReport.of("m1", new MeetingFacts.Facts(List.of(), 0, List.of()), Instant.now());
        assertThat(r.startedAt()).isNull();
        assertThat(r.durationMs()).isZero();
        assertThat(r.participants()).isEmpty();
        assertThat(r.timeline()).isEmpty();
        assertThat(r.chatTimeline()).isEmpty();
    }
}
