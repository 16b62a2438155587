package dev.rendezvous.topics.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecordingChunkCodecTest {

    private static final RecordingChunk CHUNK = new RecordingChunk("rec-1", "m-1", "fw-a", 42L, "p-1", "camera",
            "video", 90_000, Map.of(96, "VP8", 102, "H264"), 7, true, 1_733_400_000_000_000L,
            List.of(new RecordingChunk.Packet(0, new byte[] {(byte) 0x80, 96, 0, 1}),
                    new RecordingChunk.Packet(33_000, new byte[1200])));

    @Test
    void roundTripsEveryField() {
        RecordingChunk back = RecordingChunkCodec.decode(RecordingChunkCodec.encode(CHUNK));
        assertThat(back).usingRecursiveComparison().ignoringFields("packets").isEqualTo(CHUNK);
        assertThat(back.packets()).hasSize(2);
        assertThat(back.packets().get(0).rtp()).containsExactly(0x80, 96, 0, 1);
        assertThat(back.packets().get(1).arrivalOffsetMicros()).isEqualTo(33_000);
        assertThat(back.packets().get(1).rtp()).hasSize(1200);
    }

    @Test
    void refusesTruncatedTrailingAndForeignBytesWithAClearError() {
        byte[] good = RecordingChunkCodec.encode(CHUNK);
        assertThatThrownBy(() -> RecordingChunkCodec.decode(Arrays.copyOf(good, good.length - 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> RecordingChunkCodec.decode(Arrays.copyOf(good, good.length + 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after the last packet");
        byte[] other = good.clone();
        other[0] = 9;
        assertThatThrownBy(() -> RecordingChunkCodec.decode(other))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 9");
    }

    @Test
    void randomBytesNeverEscapeAsAnythingButIllegalArgument() {
        Random r = new Random(1);
        byte[] good = RecordingChunkCodec.encode(CHUNK);
        for (int i = 0; i < 5_000; i++) {
            byte[] b = i % 2 == 0 ? new byte[r.nextInt(200)] : good.clone();
            if (i % 2 == 0) {
                r.nextBytes(b);
                if (b.length > 0) {
                    b[0] = (byte) RecordingChunkCodec.VERSION;
                }
            } else {
                b[r.nextInt(b.length)] ^= (byte) (1 + r.nextInt(255));
            }
            try {
                RecordingChunkCodec.decode(b);
            } catch (IllegalArgumentException expected) {
                // refused: fine
            }
        }
    }
}
