package dev.rendezvous.streams.room;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary serde of {@link ChatRoomState}, the one value read and rewritten for every chat message. JSON cost
 * ~0.8 ms of CPU per message at a 256-id window (the store cache keeps serialized bytes, so every get
 * deserializes); this layout is read and written in a few microseconds. It is internal state (a changelog
 * topic of stream-apps), not a catalogue topic, so it need not be readable in a console consumer.
 *
 * <p>Layout: version byte (2), lastSeq (long), count (int), then per entry seq (long), sender length (short), sender
 * (UTF-8), id length (short), id (UTF-8). Version 1 (no sender) and the first release's JSON are still read; their
 * entries have no sender and so match no later retry (at worst one retry across the upgrade is sequenced again).
 */
public final class ChatRoomStateSerde implements Serde<ChatRoomState>, Serializer<ChatRoomState>, Deserializer<ChatRoomState> {

    private static final byte VERSION = 2;
    private static final byte VERSION_WITHOUT_SENDER = 1;

    @Override
    public byte[] serialize(String topic, ChatRoomState s) {
        if (s == null) {
            return null;
        }
        List<ChatRoomState.Recent> recent = s.recent();
        byte[][] ids = new byte[recent.size()][];
        byte[][] senders = new byte[recent.size()][];
        int size = 1 + 8 + 4;
        for (int i = 0; i < ids.length; i++) {
            ids[i] = recent.get(i).clientMsgId().getBytes(StandardCharsets.UTF_8);
            String sender = recent.get(i).sender();
            senders[i] = sender == null ? new byte[0] : sender.getBytes(StandardCharsets.UTF_8);
            size += 8 + 2 + senders[i].length + 2 + ids[i].length;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(VERSION).putLong(s.lastSeq()).putInt(ids.length);
        for (int i = 0; i < ids.length; i++) {
            b.putLong(recent.get(i).seq()).putShort((short) senders[i].length).put(senders[i])
                    .putShort((short) ids[i].length).put(ids[i]);
        }
        return b.array();
    }

    @Override
    public ChatRoomState deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            if (data.length > 0 && data[0] == '{') {
                // state written by the first release, as JSON
                return dev.rendezvous.topics.serde.JsonSerde.of(ChatRoomState.class).deserialize(topic, data);
            }
            ByteBuffer b = ByteBuffer.wrap(data);
            byte version = b.get();
            if (version != VERSION && version != VERSION_WITHOUT_SENDER) {
                throw new SerializationException("unknown chat room state version " + version);
            }
            long lastSeq = b.getLong();
            int n = b.getInt();
            List<ChatRoomState.Recent> recent = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long seq = b.getLong();
                String sender = version == VERSION ? string(b, data) : null;
                String id = string(b, data);
                recent.add(new ChatRoomState.Recent(sender, id, seq));
            }
            return new ChatRoomState(lastSeq, recent);
        } catch (RuntimeException e) {
            throw e instanceof SerializationException se ? se : new SerializationException("corrupt chat room state", e);
        }
    }

    /** A length-prefixed (unsigned short) UTF-8 string at the buffer's position; also {@link ChatRecentSerde}'s. */
    static String string(ByteBuffer b, byte[] data) {
        int len = b.getShort() & 0xFFFF;
        String s = new String(data, b.position(), len, StandardCharsets.UTF_8);
        b.position(b.position() + len);
        return s;
    }

    @Override
    public Serializer<ChatRoomState> serializer() {
        return this;
    }

    @Override
    public Deserializer<ChatRoomState> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {}

    @Override
    public void close() {}
}
