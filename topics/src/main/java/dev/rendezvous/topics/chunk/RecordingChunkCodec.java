package dev.rendezvous.topics.chunk;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bytes of a {@link RecordingChunk}: a version byte, the fields in declaration order (strings as modified
 * UTF-8 with a 16-bit length, numbers big-endian), then each packet as its arrival offset (32 bits), its length
 * (16 bits) and its bytes. {@link #decode} refuses anything malformed with {@link IllegalArgumentException}
 * and never reads past the input: a chunk is read by another process, possibly another version.
 */
public final class RecordingChunkCodec {

    public static final int VERSION = 1;
    /** More packets than any second of any track carries. */
    public static final int MAX_PACKETS = 8_192;
    private static final int MAX_CODECS = 32;

    private RecordingChunkCodec() {
    }

    public static byte[] encode(RecordingChunk c) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + c.packets().size() * 1_200);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(c.recordingId());
            out.writeUTF(nullToEmpty(c.meetingId()));
            out.writeUTF(nullToEmpty(c.forwarderId()));
            out.writeLong(c.trackId());
            out.writeUTF(nullToEmpty(c.participantId()));
            out.writeUTF(nullToEmpty(c.source()));
            out.writeUTF(nullToEmpty(c.kind()));
            out.writeInt(c.clockRate());
            out.writeByte(c.codecs().size());
            for (Map.Entry<Integer, String> e : c.codecs().entrySet()) {
                out.writeByte(e.getKey());
                out.writeUTF(e.getValue());
            }
            out.writeLong(c.sequence());
            out.writeBoolean(c.last());
            out.writeLong(c.baseEpochMicros());
            out.writeInt(c.packets().size());
            for (RecordingChunk.Packet p : c.packets()) {
                if (p.rtp().length > 0xFFFF) {
                    throw new IllegalArgumentException("an RTP packet of " + p.rtp().length + " bytes");
                }
                out.writeInt(p.arrivalOffsetMicros());
                out.writeShort(p.rtp().length);
                out.write(p.rtp());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    public static RecordingChunk decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(data))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("chunk version " + version + ", this reader knows " + VERSION);
            }
            String recordingId = in.readUTF();
            String meetingId = in.readUTF();
            String forwarderId = in.readUTF();
            long trackId = in.readLong();
            String participantId = in.readUTF();
            String source = in.readUTF();
            String kind = in.readUTF();
            int clockRate = in.readInt();
            int codecCount = in.readUnsignedByte();
            if (codecCount > MAX_CODECS) {
                throw new IllegalArgumentException(codecCount + " codecs");
            }
            Map<Integer, String> codecs = new LinkedHashMap<>();
            for (int i = 0; i < codecCount; i++) {
                codecs.put(in.readUnsignedByte(), in.readUTF());
            }
            long sequence = in.readLong();
            boolean last = in.readBoolean();
            long base = in.readLong();
            int count = in.readInt();
            if (count < 0 || count > MAX_PACKETS) {
                throw new IllegalArgumentException(count + " packets");
            }
            List<RecordingChunk.Packet> packets = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int offset = in.readInt();
                byte[] rtp = new byte[in.readUnsignedShort()];
                in.readFully(rtp);
                packets.add(new RecordingChunk.Packet(offset, rtp));
            }
            if (in.available() > 0) {
                throw new IllegalArgumentException(in.available() + " bytes after the last packet");
            }
            return new RecordingChunk(recordingId, meetingId, forwarderId, trackId, participantId, source, kind,
                    clockRate, codecs, sequence, last, base, packets);
        } catch (IOException e) {
            throw new IllegalArgumentException("a truncated or malformed chunk: " + e, e);
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
