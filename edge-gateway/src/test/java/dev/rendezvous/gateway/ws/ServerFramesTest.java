package dev.rendezvous.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.topics.model.RoomEvent;
import org.junit.jupiter.api.Test;

class ServerFramesTest {

    @Test
    void shouldRenderAMediaMovedEventWithoutTheInternalForwarderId() {
        assertThat(ServerFrames.event(RoomEvent.mediaMoved("m-1", "fwd-b.internal")))
                .isEqualTo("{\"type\":\"media-moved\",\"meetingId\":\"m-1\"}");
    }

    @Test
    void shouldEncodeAnEventDeliveredToSeveralSocketsOnceAndEachOtherEventAfresh() {
        RoomEvent hi = RoomEvent.chat(new dev.rendezvous.topics.model.ChatMessage("m-1", 1, "c-1", "p-1", "Alice", "hi",
                java.time.Instant.parse("2026-12-06T10:00:00Z")));
        RoomEvent bye = RoomEvent.chat(new dev.rendezvous.topics.model.ChatMessage("m-1", 2, "c-2", "p-1", "Alice", "bye",
                java.time.Instant.parse("2026-12-06T10:00:01Z")));

        String first = ServerFrames.event(hi);
        assertThat(ServerFrames.event(hi)).isSameAs(first);          // the same object: the kept frame
        assertThat(ServerFrames.event(bye)).contains("\"bye\"").doesNotContain("\"hi\"");
        assertThat(ServerFrames.event(hi)).isEqualTo(first).isNotSameAs(first).contains("\"hi\"");
    }
}
