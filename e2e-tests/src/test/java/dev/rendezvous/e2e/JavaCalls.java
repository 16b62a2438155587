package dev.rendezvous.e2e;

import dev.rendezvous.webrtc.ClientConfig;
import dev.rendezvous.webrtc.ClientRuntime;
import dev.rendezvous.webrtc.WebRtcClient;
import dev.rendezvous.webrtc.signaling.GatewaySignaling;
import dev.rendezvous.webrtc.stats.ClientStats;
import dev.rendezvous.webrtc.stats.TrackStats;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;

/**
 * Calls of Java WebRTC clients ({@code webrtc-client}) through the stack's gateway, each client a guest of its meeting
 * with its own WebSocket, as a page would be; cheaper than browsers, so a test can hold several calls through a
 * rolling restart. Media is light (silent audio, 150 kbit/s 15 fps video).
 */
final class JavaCalls implements AutoCloseable {

    /** One participant: its client and its signaling (the gateway's socket id, whether it is still in the meeting). */
    record Member(WebRtcClient client, GatewaySignaling signaling) {
        String socketId() {
            return signaling.socketId();
        }
    }

    record Call(String meetingId, List<Member> members) {}

    /** Which tracks each client knew at one moment (their SSRCs): what is newer came over a new connection. */
    record Snapshot(long nanos, Set<Long> ssrcs) {}

    private final String baseUrl;
    private final ExecutorService io = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "java-calls-io");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http = HttpClient.newBuilder().executor(io).connectTimeout(Duration.ofSeconds(5)).build();
    private final ClientRuntime runtime = new ClientRuntime(2);
    private final List<Call> calls = new ArrayList<>();

    JavaCalls(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    List<Call> calls() {
        return calls;
    }

    /** {@code members} guests join meeting {@code meeting} (a REST meeting) and start media. */
    Call join(Api.Meeting meeting, int members, UnaryOperator<ClientConfig> tweak) {
        List<Member> list = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            String name = "java-" + UUID.randomUUID().toString().substring(0, 8);
            GatewaySignaling s = new GatewaySignaling(http, baseUrl, meeting.meetingId(), meeting.code(), name, null);
            ClientConfig config = tweak.apply(ClientConfig.of(meeting.meetingId(), name, name)
                    .withVideo(150_000, 15, 2_000));
            WebRtcClient c = new WebRtcClient(config, s, runtime);
            c.start();
            list.add(new Member(c, s));
        }
        Call call = new Call(meeting.meetingId(), List.copyOf(list));
        calls.add(call);
        return call;
    }

    /** Leaves and forgets one call. */
    void leave(Call call) {
        call.members().forEach(m -> m.client().close());
        calls.remove(call);
    }

    Snapshot snapshot() {
        Set<Long> ssrcs = new HashSet<>();
        for (Call c : calls) {
            for (Member m : c.members()) {
                m.client().stats().received().forEach(t -> ssrcs.add(t.ssrc()));
            }
        }
        return new Snapshot(System.nanoTime(), ssrcs);
    }

    /**
     * Every member of every call receives every other's audio and video now (a packet within the last 0.5 s) — on
     * tracks newer than {@code since} (a new connection) for the calls in {@code moved}.
     */
    boolean allHearEachOther(Snapshot since, Set<String> moved) {
        long now = System.nanoTime();
        for (Call c : calls) {
            for (Member r : c.members()) {
                ClientStats st = r.client().stats();
                for (Member s : c.members()) {
                    if (s.socketId() == null) {
                        return false;
                    }
                    if (s == r) {
                        continue;
                    }
                    for (String kind : List.of("audio", "video")) {
                        boolean fresh = st.from(s.socketId(), kind).stream()
                                .filter(t -> !moved.contains(c.meetingId()) || !since.ssrcs().contains(t.ssrc()))
                                .anyMatch(t -> t.packets() > 0 && now - t.lastPacketNanos() < 500_000_000L);
                        if (!fresh) {
                            return false;
                        }
                    }
                }
            }
        }
        return true;
    }

    /**
     * For each (receiver, sender) pair of the calls in {@code moved}: how long the sender's audio was silent at the
     * receiver across the move, from the last packet on the old tracks to the first on the new ones (ms).
     */
    List<Double> audioGapsMs(Snapshot since, Set<String> moved) {
        List<Double> gaps = new ArrayList<>();
        for (Call c : calls) {
            if (!moved.contains(c.meetingId())) {
                continue;
            }
            for (Member r : c.members()) {
                ClientStats st = r.client().stats();
                for (Member s : c.members()) {
                    if (s == r) {
                        continue;
                    }
                    List<TrackStats> audio = st.from(s.socketId(), "audio");
                    long lastOld = audio.stream().filter(t -> since.ssrcs().contains(t.ssrc()))
                            .mapToLong(TrackStats::lastPacketNanos).max().orElse(since.nanos());
                    long firstNew = audio.stream().filter(t -> !since.ssrcs().contains(t.ssrc()) && t.packets() > 0)
                            .mapToLong(TrackStats::firstPacketNanos).min().orElse(Long.MAX_VALUE);
                    gaps.add(firstNew == Long.MAX_VALUE ? Double.NaN : Math.max(0, firstNew - lastOld) / 1e6);
                }
            }
        }
        return gaps;
    }

    /** The members that are no longer in their meeting (socket closed, removed) or reported an error. */
    List<String> dropped() {
        List<String> out = new ArrayList<>();
        for (Call c : calls) {
            for (Member m : c.members()) {
                if (!m.signaling().inMeeting() || m.client().lastError() != null) {
                    out.add(m.client().config().socketId() + " in " + c.meetingId() + ": in meeting "
                            + m.signaling().inMeeting() + ", error " + m.client().lastError());
                }
            }
        }
        return out;
    }

    /** Each member's state, for a failure message: connections, meeting, error, packets heard from each other. */
    String describe() {
        StringBuilder b = new StringBuilder();
        for (Call c : calls) {
            for (Member m : c.members()) {
                ClientStats st = m.client().stats();
                b.append(String.format("%n  %s (%s) in %s: in meeting %s, publish %s, subscribe %s, restarts %d, error %s;",
                        m.client().config().socketId(), m.socketId(), c.meetingId(), m.signaling().inMeeting(),
                        st.publishConnected(), st.subscribeConnected(), m.client().mediaRestarts(),
                        m.client().lastError()));
                for (Member s : c.members()) {
                    if (s != m && s.socketId() != null) {
                        b.append(String.format(" from %s audio %d video %d", s.socketId(),
                                st.packetsFrom(s.socketId(), "audio"), st.packetsFrom(s.socketId(), "video")));
                    }
                }
            }
        }
        return b.toString();
    }

    @Override
    public void close() {
        calls.forEach(c -> c.members().forEach(m -> m.client().close()));
        calls.clear();
        runtime.close();
        io.shutdownNow();
    }
}
