package dev.rendezvous.streams.room;

import dev.rendezvous.streams.room.ChatRoomState.Recent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary serde of one entry of a room's chat window (store {@code chat-recent}): version byte (1), seq (long), sender
 * length (short) and UTF-8, clientMsgId length (short) and UTF-8. Internal state, like {@link ChatRoomStateSerde}.
 */
public final class ChatRecentSerde implements Serde<Recent>, Serializer<Recent>, Deserializer<Recent> {

    private static final byte VERSION = 1;

    @Override
    public byte[] serialize(String topic, Recent r) {
        if (r == null) {
            return null;
        }
        byte[] sender = r.sender() == null ? new byte[0] : r.sender().getBytes(StandardCharsets.UTF_8);
        byte[] id = r.clientMsgId().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + 8 + 2 + sender.length + 2 + id.length)
                .put(VERSION).putLong(r.seq())
                .putShort((short) sender.length).put(sender)
                .putShort((short) id.length).put(id)
                .array();
    }

    @Override
    public Recent deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(data);
            byte version = b.get();
            if (version != VERSION) {
                throw new SerializationException("unknown chat window entry version " + version);
            }
            long seq = b.getLong();
            String sender = ChatRoomStateSerde.string(b, data);
            String id = ChatRoomStateSerde.string(b, data);
            return new Recent(sender.isEmpty() ? null : sender, id, seq);
        } catch (RuntimeException e) {
            throw e instanceof SerializationException se ? se : new SerializationException("corrupt chat window entry", e);
        }
    }

    @Override
    public Serializer<Recent> serializer() {
        return this;
    }

    @Override
    public Deserializer<Recent> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {}

    @Override
    public void close() {}
}
