package dev.rendezvous.streams.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.streams.room.ChatRoomState.Recent;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatWindowTest {

    @Test
    void shouldIncrementSeqAndRememberAtMostTheWindowNewestLast() {
        ChatWindow w = ChatWindow.of(0, List.of(), 3);
        for (int i = 1; i <= 5; i++) {
            assertThat(w.accept("p-1", "m-" + i).seq()).isEqualTo(i);
        }

        assertThat(w.lastSeq()).isEqualTo(5);
        assertThat(w.seqs()).containsExactly(3, 4, 5);
        assertThat(seqOf(w, "p-1", "m-4")).hasValue(4L);
        assertThat(seqOf(w, "p-1", "m-2")).isEmpty();
    }

    @Test
    void shouldContinueAfterTheStoredHistory() {
        assertThat(ChatWindow.of(41, List.of(), 3).accept("p-1", "m").seq()).isEqualTo(42);
    }

    @Test
    void shouldRebuildFromStoredEntriesInAnyOrderKeepingTheNewest() {
        ChatWindow w = ChatWindow.of(0, List.of(new Recent("p-1", "c", 7), new Recent("p-1", "a", 5),
                new Recent("p-1", "d", 8), new Recent("p-1", "b", 6)), 3);

        assertThat(w.lastSeq()).isEqualTo(8);
        assertThat(w.seqs()).containsExactly(6, 7, 8);
        assertThat(seqOf(w, "p-1", "a")).isEmpty();
        assertThat(seqOf(w, "p-1", "c")).hasValue(7L);
        assertThat(ChatWindow.of(10, List.of(new Recent("p-1", "a", 5)), 3).accept("p-1", "x").seq()).isEqualTo(11);
    }

    @Test
    void shouldTellTwoSendersWithTheSameClientMsgIdApart() {
        ChatWindow w = ChatWindow.of(0, List.of(), 10);
        w.accept("alice", "m-1");

        assertThat(seqOf(w, "alice", "m-1")).hasValue(1L);
        assertThat(seqOf(w, "mallory", "m-1")).isEmpty();
        assertThat(w.accept("mallory", "m-1").seq()).isEqualTo(2);
        assertThat(seqOf(w, "mallory", "m-1")).hasValue(2L);
    }

    @Test
    void shouldMatchNoRetryWithAnEntryWithoutSender() {
        ChatWindow w = ChatWindow.of(3, List.of(new Recent(null, "m-1", 3)), 10);

        assertThat(seqOf(w, "alice", "m-1")).isEmpty();
        assertThat(w.accept("alice", "m-1").seq()).isEqualTo(4);
    }

    @Test
    void shouldKeepTheNewerSeqOfAnIdAcceptedAgainAfterLeavingTheWindow() {
        ChatWindow w = ChatWindow.of(0, List.of(), 2);
        w.accept("p", "a");
        w.accept("p", "b");
        w.accept("p", "c");            // a leaves
        w.accept("p", "a");            // a again: seq 4; b leaves

        assertThat(seqOf(w, "p", "a")).hasValue(4L);
        w.accept("p", "d");            // c leaves
        assertThat(seqOf(w, "p", "a")).hasValue(4L);
    }

    @Test
    void shouldTakeAHashMatchForARetryOnlyWhenTheStoredEntryConfirmsIt() {
        ChatWindow w = ChatWindow.of(0, List.of(), 10);
        w.accept("alice", "m-1");
        w.accept("alice", "m-2");

        assertThat(w.seqOf("alice", "m-1", seq -> false)).isEmpty();
        assertThat(w.seqOf("alice", "m-2", seq -> seq == 2)).hasValue(2L);
    }

    @Test
    void shouldAnswerTheNewestSeqOfIdsTheWindowHoldsTwice() {
        // a window rebuilt from stored entries may hold the same ids twice (accepted again after they had left it)
        ChatWindow w = ChatWindow.of(0, List.of(new Recent("p", "a", 1), new Recent("p", "b", 2), new Recent("p", "a", 3)), 10);

        assertThat(seqOf(w, "p", "a")).hasValue(3L);
        assertThat(w.seqOf("p", "a", seq -> seq == 1)).hasValue(1L);
    }

    @Test
    void shouldHashPairsThatReadAlikeWhenJoinedApart() {
        assertThat(ChatWindow.hash("ab", "c")).isNotEqualTo(ChatWindow.hash("a", "bc"));
        assertThat(ChatWindow.hash("alice", "m-1")).isEqualTo(ChatWindow.hash("alice", "m-1"))
                .isNotEqualTo(ChatWindow.hash("alice", "m-2"));
    }

    @Test
    void shouldRefuseAWindowOfNoMessages() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ChatWindow.of(0, List.of(), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** The window's answer trusting the hash alone (no stored entry to confirm it). */
    private static java.util.OptionalLong seqOf(ChatWindow w, String sender, String clientMsgId) {
        return w.seqOf(sender, clientMsgId, seq -> true);
    }
}
