package dev.rendezvous.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.stack.Stack;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Bad input on a socket gets an error frame and loses nothing else: after each bad frame the same socket
 * still chats and the other participant still receives, through the real processor.
 */
class ProtocolErrorsIT {

    private final Stack stack = TestSystem.get();
    private final Api api = new Api(stack.gatewayBaseUrl());
    private String token;
    private Api.Meeting meeting;
    private Peer sender;
    private Peer receiver;

    @BeforeEach
    void joinTwoPeers() throws Exception {
        token = api.newUserToken("Erin");
        meeting = api.createMeeting(token, "errors");
        sender = Peer.connect(api.http, stack.gatewayBaseUrl()).join(meeting.meetingId(), token);
        receiver = Peer.connect(api.http, stack.gatewayBaseUrl()).join(meeting.meetingId(), api.guestToken(meeting.code(), "Frank"));
    }

    @Test
    void shouldAnswerNonJsonWithErrorFrameAndKeepTheRoomWorking() {
        sender.sendRaw("this is not json {");
        assertError("bad_frame");
        assertStillWorks();
    }

    @Test
    void shouldAnswerUnknownTypeWithErrorFrameAndKeepTheRoomWorking() {
        sender.sendRaw("{\"type\":\"teleport\",\"meetingId\":\"" + meeting.meetingId() + "\"}");
        assertError("unknown_type");
        assertStillWorks();
    }

    @Test
    void shouldAnswerAFrameAbove64KiBWithErrorFrameAndKeepTheRoomWorking() {
        // above the 64 KiB frame limit, below the transport limit (the SDP allowance, 266,240 bytes): the gateway
        // reads it and answers; a frame above the transport limit closes the socket (1009, TransportLimitsIT)
        String big = "x".repeat(100_000);
        sender.sendRaw("{\"type\":\"chat\",\"meetingId\":\"" + meeting.meetingId() + "\",\"clientMsgId\":\"big\",\"text\":\"" + big + "\"}");
        assertError("frame_too_large");
        assertStillWorks();
    }

    @Test
    void shouldAnswerBinaryFrameWithErrorFrame() {
        sender.sendBinary(new byte[] {1, 2, 3});
        assertError("bad_frame");
        assertStillWorks();
    }

    @Test
    void shouldRefuseJoinWithoutTokenOrWithForgedTokenAndKeepTheSocketUsable() throws Exception {
        Peer stranger = Peer.connect(api.http, stack.gatewayBaseUrl());
        try {
            stranger.sendRaw("{\"type\":\"join\",\"meetingId\":\"" + meeting.meetingId() + "\"}");
            stranger.awaitError("unauthorized", Duration.ofSeconds(10));
            String[] parts = token.split("\\.");
            String forged = parts[0] + "." + parts[1] + "." + "AAAA" + parts[2].substring(4);
            stranger.sendRaw("{\"type\":\"join\",\"meetingId\":\"" + meeting.meetingId() + "\",\"token\":\"" + forged + "\"}");
            Peer.awaitUntil(() -> stranger.errors().size() >= 2, Duration.ofSeconds(10), "second unauthorized");
            assertThat(stranger.errors().get(1).path("error").asText()).isEqualTo("unauthorized");
            assertThat(stranger.closedWith()).isNull();
            // the same socket joins with a valid token and chats
            stranger.join(meeting.meetingId(), api.guestToken(meeting.code(), "Grace"));
            String id = UUID.randomUUID().toString();
            stranger.chat(meeting.meetingId(), id, "finally in");
            Peer.awaitUntil(() -> receiver.chats(meeting.meetingId()).stream().anyMatch(c -> c.clientMsgId().equals(id)),
                    Duration.ofSeconds(15), "stranger's message delivered");
        } finally {
            stranger.close();
        }
    }

    @Test
    void shouldRefuseChatToAMeetingTheSocketDidNotJoin() throws Exception {
        Api.Meeting other = api.createMeeting(token, "other room");
        sender.chat(other.meetingId(), "not-mine", "sneaky");
        JsonNode e = sender.awaitError("not_joined", Duration.ofSeconds(10));
        assertThat(e.path("ref").asText()).isEqualTo("not-mine");
        assertStillWorks();
    }

    @Test
    void shouldRejectEmptyAndTooLongMessages() {
        sender.chat(meeting.meetingId(), "empty", "   ");
        assertError("invalid_message");
        sender.chat(meeting.meetingId(), "long", "y".repeat(2001));
        Peer.awaitUntil(() -> sender.errors().size() >= 2, Duration.ofSeconds(10), "second invalid_message");
        assertThat(sender.errors()).extracting(j -> j.path("error").asText()).containsOnly("invalid_message");
        sender.chat(meeting.meetingId(), "exact", "z".repeat(2000));
        Peer.awaitUntil(() -> receiver.chats(meeting.meetingId()).stream().anyMatch(c -> c.clientMsgId().equals("exact")),
                Duration.ofSeconds(15), "a 2,000-character message delivered");
        assertStillWorks();
    }

    private void assertError(String code) {
        JsonNode e = sender.awaitError(code, Duration.ofSeconds(10));
        assertThat(e.path("message").asText()).as("a message for a person").isNotBlank();
        assertThat(sender.closedWith()).as("socket still open").isNull();
    }

    private void assertStillWorks() {
        String id = UUID.randomUUID().toString();
        sender.chat(meeting.meetingId(), id, "still here");
        Peer.awaitUntil(() -> receiver.chats(meeting.meetingId()).stream().anyMatch(c -> c.clientMsgId().equals(id)),
                Duration.ofSeconds(15), "message after the bad frame delivered");
        assertThat(sender.closedWith()).isNull();
        assertThat(receiver.errors()).isEmpty();
    }

    @org.junit.jupiter.api.AfterEach
    void close() {
        sender.close();
        receiver.close();
    }

}
