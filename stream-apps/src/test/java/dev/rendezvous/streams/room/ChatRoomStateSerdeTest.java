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
        java.util.List<ChatRoomState.Recent> recent = new java.util.ArrayList<>();
        for (int i = 45; i <= 300; i++) {
            recent.add(new ChatRoomState.Recent("p-1", "id-" + i + (i % 7 == 0 ? "-é😀" : ""), i));
        }
        ChatRoomState s = new ChatRoomState(300, recent);
        ChatRoomState back = serde.deserialize("t", serde.serialize("t", s));
        assertThat(back).isEqualTo(s);
        assertThat(back.recent()).hasSize(256);
    }

    @Test
    void shouldStillReadStateWrittenAsJson() {
        ChatRoomState s = new ChatRoomState(2, java.util.List.of(new ChatRoomState.Recent("p-1", "a", 1),
                new ChatRoomState.Recent("p-1", "b", 2)));
        byte[] json = JsonSerde.of(ChatRoomState.class).serialize("t", s);
        assertThat(serde.deserialize("t", json)).isEqualTo(s);
    }

    @Test
    void shouldKeepTheSenderAndStillReadVersionOneWithoutIt() {
        ChatRoomState s = new ChatRoomState(2, java.util.List.of(new ChatRoomState.Recent("alice", "m-1", 1),
                new ChatRoomState.Recent("bob", "m-1", 2)));
        ChatRoomState back = serde.deserialize("t", serde.serialize("t", s));
        assertThat(back).isEqualTo(s);

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
    void shouldRoundTripAWindowEntryOfTheChatRecentStore() {
        ChatRecentSerde entries = new ChatRecentSerde();
        ChatRoomState.Recent r = new ChatRoomState.Recent("alice-é", "m-😀", 42);

        assertThat(entries.deserialize("t", entries.serialize("t", r))).isEqualTo(r);
        assertThat(entries.serialize("t", r)).hasSizeLessThan(40);
        assertThat(entries.deserialize("t", null)).isNull();
        assertThatThrownBy(() -> entries.deserialize("t", new byte[] {1, 0})).isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> entries.deserialize("t", new byte[] {7})).isInstanceOf(SerializationException.class);
    }

    @Test
    void shouldRefuseCorruptBytesWithSerializationException() {
        assertThatThrownBy(() -> serde.deserialize("t", new byte[] {1, 0, 0})).isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> serde.deserialize("t", new byte[] {9})).isInstanceOf(SerializationException.class);
        assertThat(serde.deserialize("t", null)).isNull();
    }
}
