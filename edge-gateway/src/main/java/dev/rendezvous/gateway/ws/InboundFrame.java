package dev.rendezvous.gateway.ws;

import java.nio.charset.StandardCharsets;
import org.springframework.web.reactive.socket.WebSocketMessage;

/**
 * A client frame copied out of the network buffer: its size, and its text when it is a text frame no larger than
 * the limit (larger frames are refused unread).
 *
 * @param binary true for a binary frame
 * @param bytes  payload size in bytes
 * @param text   the UTF-8 text, or null for binary and oversized frames
 */
public record InboundFrame(boolean binary, int bytes, String text) {

    /** Copies synchronously: the message's buffer is released when this returns. */
    public static InboundFrame of(WebSocketMessage m, int maxFrameBytes) {
        int bytes = m.getPayload().readableByteCount();
        if (m.getType() == WebSocketMessage.Type.BINARY) {
            return new InboundFrame(true, bytes, null);
        }
        return new InboundFrame(false, bytes, bytes > maxFrameBytes ? null : m.getPayloadAsText(StandardCharsets.UTF_8));
    }

    public static InboundFrame text(String text) {
        return new InboundFrame(false, text.getBytes(StandardCharsets.UTF_8).length, text);
    }
}
