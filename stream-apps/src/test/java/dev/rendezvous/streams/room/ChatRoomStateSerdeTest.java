package dev.rendezvous.streams.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rendezvous.topics.serde.JsonSerde;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class ChatRoomStateSerdeTest {

    private final ChatRoomStateSerde serde = new ChatRoomStateSerde();

    @Test
    void shouldRoundTripAFullWindowIncludingNonAsciiIds() {
        ChatRoomState s = ChatRoomState.empty();
        for (int i = 0; i < 300; i++) {
            s = s.accept("id-" + i + (i % 7 == 0 ? "-é😀" : ""), 256);
        }
        ChatRoomState back = serde.deserialize("t", serde.serialize("t", s));
        assertThat(back).isEqualTo(s);
        assertThat(back.lastSeq()).isEqualTo(300);
        assertThat(back.seqOf("id-299")).contains(300L);
        assertThat(back.seqOf("id-0")).isEmpty();
    }

    @Test
    void shouldStillReadStateWrittenAsJson() {
        ChatRoomState s = ChatRoomState.empty().accept("a", 256).accept("b", 256);
        byte[] json = JsonSerde.of(ChatRoomState.class).serialize("t", s);
        assertThat(serde.deserialize("t", json)).isEqualTo(s);
    }

    @Test
    void shouldRefuseCorruptBytesWithSerializationException() {
        assertThatThrownBy(() -> serde.deserialize("t", new byte[] {1, 0, 0})).isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> serde.deserialize("t", new byte[] {9})).isInstanceOf(SerializationException.class);
        assertThat(serde.deserialize("t", null)).isNull();
    }
}
