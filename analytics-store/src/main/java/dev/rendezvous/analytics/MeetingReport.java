package dev.rendezvous.analytics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a host sees of a meeting (the body of {@code GET /api/v1/meetings/{id}/analytics}): how long it ran, how many
 * people were in at most, each person's first arrival and time present (their sockets' stays merged: two tabs at
 * once count once), the people in over time, the chat volume in all and per minute, and each person's mean media
 * quality. Times in the
 * lists are milliseconds after the meeting's first join ({@code startedAt}).
 *
 * @param endedAt null while someone is still in (the figures then run to "now")
 */
public record MeetingReport(String meetingId, Instant startedAt, Instant endedAt, long durationMs, int peakParticipants,
                            List<Person> participants, long chatMessages, List<ChatPoint> chatTimeline,
                            List<Point> timeline, List<Quality> quality) {

    /** {@code messages} chat messages were sent in the minute from {@code atMs} after the start. */
    public record ChatPoint(long atMs, long messages) {}

    /** One person: {@code joinedMs} after the start they first came in, {@code presentMs} in the meeting in all. */
    public record Person(String participantId, String displayName, long joinedMs, long presentMs) {}

    /** From {@code atMs} after the start, {@code participants} people were in. */
    public record Point(long atMs, int participants) {}

    /** One person's mean quality over {@code samples} samples (5 s each). */
    public record Quality(String participantId, String displayName, long samples, double bitrateInBps,
                          double bitrateOutBps, double lossRatio, double rttMs, double jitterMs) {}

    public static MeetingReport of(String meetingId, MeetingFacts.Facts facts, Instant now) {
        long nowMs = now.toEpochMilli();
        List<MeetingFacts.SocketStay> stays = facts.stays();
        Map<String, String> names = new HashMap<>();
        stays.forEach(s -> {
            if (s.displayName() != null && !s.displayName().isBlank()) {
                names.putIfAbsent(s.participantId(), s.displayName());
            }
        });
        List<Quality> quality = facts.quality().stream().map(q -> new Quality(q.participantId(),
                names.getOrDefault(q.participantId(), ""), q.samples(), q.bitrateInBps(), q.bitrateOutBps(),
                q.lossRatio(), q.rttMs(), q.jitterMs())).toList();
        if (stays.isEmpty()) {
            return new MeetingReport(meetingId, null, null, 0, 0, List.of(), facts.chatMessages(), List.of(), List.of(),
                    quality);
        }
        long start = stays.stream().mapToLong(MeetingFacts.SocketStay::joinedAtMs).min().orElse(nowMs);
        boolean open = stays.stream().anyMatch(s -> s.leftAtMs() < 0);
        long end = open ? Math.max(nowMs, start) : stays.stream().mapToLong(s -> Math.max(s.leftAtMs(), s.joinedAtMs())).max().orElse(start);

        // each person's stays, merged
        Map<String, List<long[]>> byPerson = new LinkedHashMap<>();
        stays.stream().sorted(Comparator.comparingLong(MeetingFacts.SocketStay::joinedAtMs)).forEach(s ->
                byPerson.computeIfAbsent(s.participantId(), p -> new ArrayList<>())
                        .add(new long[] {s.joinedAtMs(), s.leftAtMs() < 0 ? end : Math.max(s.leftAtMs(), s.joinedAtMs())}));
        List<Person> people = new ArrayList<>();
        List<long[]> changes = new ArrayList<>();   // {time, +1/-1} per merged stay of a person
        byPerson.forEach((person, spans) -> {
            long present = 0;
            long curStart = spans.get(0)[0], curEnd = spans.get(0)[1];
            for (long[] sp : spans.subList(1, spans.size())) {
                if (sp[0] <= curEnd) {
                    curEnd = Math.max(curEnd, sp[1]);
                } else {
                    present += curEnd - curStart;
                    changes.add(new long[] {curStart, 1});
                    changes.add(new long[] {curEnd, -1});
                    curStart = sp[0];
                    curEnd = sp[1];
                }
            }
            present += curEnd - curStart;
            changes.add(new long[] {curStart, 1});
            changes.add(new long[] {curEnd, -1});
            people.add(new Person(person, names.getOrDefault(person, ""), spans.get(0)[0] - start, present));
        });
        // the minutes of MeetingFacts are counted from the same start (the earliest join)
        List<ChatPoint> chat = facts.chatMinutes().stream()
                .map(c -> new ChatPoint(Math.max(0, c.minute()) * 60_000L, c.messages())).toList();
        // people in over time: leaves before joins at the same instant
        changes.sort(Comparator.<long[]>comparingLong(c -> c[0]).thenComparingLong(c -> c[1]));
        List<Point> timeline = new ArrayList<>();
        int in = 0, peak = 0;
        for (long[] c : changes) {
            in += (int) c[1];
            peak = Math.max(peak, in);
            long at = c[0] - start;
            if (!timeline.isEmpty() && timeline.get(timeline.size() - 1).atMs() == at) {
                timeline.set(timeline.size() - 1, new Point(at, in));
            } else {
                timeline.add(new Point(at, in));
            }
        }
        return new MeetingReport(meetingId, Instant.ofEpochMilli(start), open ? null : Instant.ofEpochMilli(end),
                end - start, peak, people, facts.chatMessages(), chat, timeline, quality);
    }
}
