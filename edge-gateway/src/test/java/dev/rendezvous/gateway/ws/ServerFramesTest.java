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
}
