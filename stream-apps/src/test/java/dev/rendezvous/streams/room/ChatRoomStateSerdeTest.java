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
            s = s.accept("p-1", "id-" + i + (i % 7 == 0 ? "-é😀" : ""), 256);
        }
        ChatRoomState back = serde.deserialize("t", serde.serialize("t", s));
        assertThat(back).isEqualTo(s);
        assertThat(back.lastSeq()).isEqualTo(300);
        assertThat(back.seqOf("p-1", "id-299")).contains(300L);
        assertThat(back.seqOf("p-1", "id-0")).isEmpty();
    }

    @Test
    void shouldStillReadStateWrittenAsJson() {
        ChatRoomState s = ChatRoomState.empty().accept("p-1", "a", 256).accept("p-1", "b", 256);
        byte[] json = JsonSerde.of(ChatRoomState.class).serialize("t", s);
        assertThat(serde.deserialize("t", json)).isEqualTo(s);
    }

    @Test
    void shouldKeepTheSenderAndStillReadVersionOneWithoutIt() {
        ChatRoomState s = ChatRoomState.empty().accept("alice", "m-1", 8).accept("bob", "m-1", 8);
        ChatRoomState back = serde.deserialize("t", serde.serialize("t", s));
        assertThat(back.seqOf("alice", "m-1")).contains(1L);
        assertThat(back.seqOf("bob", "m-1")).contains(2L);

        // version 1: lastSeq 7, one entry (seq 7, id "x"), no sender
        java.nio.ByteBuffer v1 = java.nio.ByteBuffer.allocate(1 + 8 + 4 + 8 + 2 + 1);
        v1.put((byte) 1).putLong(7).putInt(1).putLong(7).putShort((short) 1).put((byte) 'x');
        ChatRoomState old = serde.deserialize("t", v1.array());
        assertThat(old.lastSeq()).isEqualTo(7);
        assertThat(old.recent()).singleElement().satisfies(r -> {
            assertThat(r.clientMsgId()).isEqualTo("x");
            assertThat(r.seq()).isEqualTo(7);
        });
    }

    @Test
    void shouldRefuseCorruptBytesWithSerializationException() {
        assertThatThrownBy(() -> serde.deserialize("t", new byte[] {1, 0, 0})).isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> serde.deserialize("t", new byte[] {9})).isInstanceOf(SerializationException.class);
        assertThat(serde.deserialize("t", null)).isNull();
    }
}
