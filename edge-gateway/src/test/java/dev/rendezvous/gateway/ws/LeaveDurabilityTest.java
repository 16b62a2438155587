package dev.rendezvous.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.gateway.auth.TokenService;
import dev.rendezvous.testsupport.MutableClock;
import dev.rendezvous.topics.model.MemberRequest;
import dev.rendezvous.topics.model.Participant;
import dev.rendezvous.topics.model.Role;
import dev.rendezvous.topics.model.RoomEvent;
import dev.rendezvous.topics.serde.Json;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A LEAVE is sent again until the broker has it, and a socket's membership ends only then. */
class LeaveDurabilityTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final FakeEventBus bus = new FakeEventBus();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final GatewayMetrics metrics = new GatewayMetrics(meters, () -> 0);
    private final FrameHandler handler = new FrameHandler(new GatewayIdentity("gw-1", 3), 16384, 65536,
            new TokenService(new byte[32], Duration.ofHours(1), clock), null, bus, clock, metrics,
            new LeavePublisher.Retries(4, Duration.ofMillis(5), Duration.ofMillis(20)));
    private final List<String> out = new ArrayList<>();
    private final GatewaySocket socket = new GatewaySocket("s-1", null, new TokenBucket(50, 50, clock), 64, metrics,
            (code, reason) -> {});

    LeaveDurabilityTest() {
        socket.outbound().subscribe(out::add);
    }

    @Test
    void shouldSendALeaveAgainUntilTheBrokerAcknowledgesItAndOnlyThenEndTheMembership() {
        joined("m");
        bus.failNext.set(3);

        handler.handle(socket, InboundFrame.text("{\"type\":\"leave\",\"meetingId\":\"m\"}")).block(Duration.ofSeconds(10));

        assertThat(bus.attempts.get()).isEqualTo(4);
        assertThat(bus.published).hasSize(1);
        MemberRequest leave = (MemberRequest) bus.published.get(0).value();
        assertThat(leave.action()).isEqualTo(MemberRequest.Action.LEAVE);
        assertThat(leave.socketId()).isEqualTo("s-1");
        assertThat(socket.membership("m")).isNull();
        assertThat(type(out.get(out.size() - 1))).isEqualTo("left");
    }

    @Test
    void shouldKeepTheMembershipWhenTheLeaveCouldNotBeDeliveredAndLeaveWhenTheSocketCloses() {
        joined("m");
        bus.failNext.set(100);

        handler.handle(socket, InboundFrame.text("{\"type\":\"leave\",\"meetingId\":\"m\"}")).block(Duration.ofSeconds(10));

        assertThat(bus.attempts.get()).isEqualTo(5);   // the first send and 4 retries
        assertThat(bus.published).isEmpty();
        assertThat(socket.membership("m")).isNotNull();   // still in: the processor never heard of the LEAVE
        assertThat(out.get(out.size() - 1)).contains("unavailable");
        assertThat(meters.counter("rendezvous.gateway.errors", "code", "leave_lost").count()).isEqualTo(1);

        // the broker is back; the socket closes: its LEAVE goes out then
        bus.failNext.set(0);
        handler.leaveAll(socket).block(Duration.ofSeconds(10));
        assertThat(bus.published).extracting(p -> ((MemberRequest) p.value()).action())
                .containsExactly(MemberRequest.Action.LEAVE);
    }

    @Test
    void shouldRetryTheLeavesOfAClosingSocketAndLetShutdownWaitForThem() {
        joined("m1");
        joined("m2");
        bus.failNext.set(3);

        handler.leaveAll(socket).subscribe();
        handler.leavesSettled().block(Duration.ofSeconds(10));

        assertThat(bus.published).extracting(p -> ((MemberRequest) p.value()).meetingId())
                .containsExactlyInAnyOrder("m1", "m2");
    }

    private void joined(String meetingId) {
        socket.beginJoin(new GatewaySocket.Membership(meetingId, "u-1", "Ann", Role.USER, false, null));
        Participant you = new Participant("u-1", "Ann", Role.USER, "s-1");
        socket.deliver(RoomEvent.joined(meetingId, you, List.of(you)));
    }

    private static String type(String frame) {
        return Json.mapper().readTree(frame).get("type").asString();
    }
}
