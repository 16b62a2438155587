package dev.rendezvous.streams.room;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChatRoomStateTest {

    @Test
    void shouldIncrementSeqAndRememberAtMostTheWindowNewestLast() {
        ChatRoomState s = ChatRoomState.empty();
        for (int i = 1; i <= 5; i++) {
            s = s.accept("m-" + i, 3);
        }

        assertThat(s.lastSeq()).isEqualTo(5);
        assertThat(s.recent()).extracting(ChatRoomState.Recent::clientMsgId).containsExactly("m-3", "m-4", "m-5");
        assertThat(s.seqOf("m-4")).contains(4L);
        assertThat(s.seqOf("m-2")).isEmpty();
    }

    @Test
    void shouldShrinkToANewSmallerWindow() {
        ChatRoomState s = ChatRoomState.empty().accept("a", 10).accept("b", 10).accept("c", 10);

        assertThat(s.accept("d", 2).recent()).extracting(ChatRoomState.Recent::clientMsgId).containsExactly("c", "d");
    }
}
