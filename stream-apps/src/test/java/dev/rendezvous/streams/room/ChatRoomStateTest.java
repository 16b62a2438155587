package dev.rendezvous.streams.room;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChatRoomStateTest {

    @Test
    void shouldIncrementSeqAndRememberAtMostTheWindowNewestLast() {
        ChatRoomState s = ChatRoomState.empty();
        for (int i = 1; i <= 5; i++) {
            s = s.accept("p-1", "m-" + i, 3);
        }

        assertThat(s.lastSeq()).isEqualTo(5);
        assertThat(s.recent()).extracting(ChatRoomState.Recent::clientMsgId).containsExactly("m-3", "m-4", "m-5");
        assertThat(s.seqOf("p-1", "m-4")).contains(4L);
        assertThat(s.seqOf("p-1", "m-2")).isEmpty();
    }

    @Test
    void shouldShrinkToANewSmallerWindow() {
        ChatRoomState s = ChatRoomState.empty().accept("p-1", "a", 10).accept("p-1", "b", 10).accept("p-1", "c", 10);

        assertThat(s.accept("p-1", "d", 2).recent()).extracting(ChatRoomState.Recent::clientMsgId).containsExactly("c", "d");
    }

    @Test
    void shouldTellTwoSendersWithTheSameClientMsgIdApart() {
        ChatRoomState s = ChatRoomState.empty().accept("alice", "m-1", 10);

        assertThat(s.seqOf("alice", "m-1")).contains(1L);
        assertThat(s.seqOf("mallory", "m-1")).isEmpty();
        assertThat(s.accept("mallory", "m-1", 10).seqOf("mallory", "m-1")).contains(2L);
    }
}
