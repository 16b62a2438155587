package dev.rendezvous.gateway.ws;

/** A frame a client sent, after parsing (docs/protocol.md, "Client frames"). Fields may be null. */
public sealed interface ClientFrame {

    /** Join a meeting; {@code token} may instead come from the socket's {@code ?token=} query. */
    record Join(String meetingId, String token) implements ClientFrame {}

    /** Send a chat message to a joined meeting; validated by {@link FrameParser#validateChat}. */
    record Chat(String meetingId, String clientMsgId, String text) implements ClientFrame {}

    /** Leave a joined meeting. */
    record Leave(String meetingId) implements ClientFrame {}

    /** Liveness check; answered with {@code pong}. */
    record Ping() implements ClientFrame {}
}
