package dev.rendezvous.topics.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.SplittableRandom;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class IsoInstantDeserializerTest {

    record Stamped(String id, Instant at) {}

    private final JsonSerde<Stamped> serde = JsonSerde.of(Stamped.class);

    @Test
    void shouldReadWhatInstantToStringWritesExactlyAsInstantParseDoes() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            // 0001-01-01 to 9999-12-31, with 0, 3, 6 or 9 fraction digits as Instant.toString() gives them
            long second = random.nextLong(-62_135_596_800L, 253_402_300_799L);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(second, nanos);
            assertThat(IsoInstantDeserializer.parse(t.toString())).as(t.toString()).isEqualTo(t);
        }
    }

    @Test
    void shouldReadAnyNumberOfFractionDigitsFromOneToNine() {
        assertThat(IsoInstantDeserializer.parse("2026-12-06T16:14:03.1Z")).isEqualTo(Instant.parse("2026-12-06T16:14:03.100Z"));
        assertThat(IsoInstantDeserializer.parse("2026-12-06T16:14:03.12345Z")).isEqualTo(Instant.parse("2026-12-06T16:14:03.12345Z"));
        assertThat(IsoInstantDeserializer.parse("2024-02-29T23:59:59.999999999Z")).isEqualTo(Instant.parse("2024-02-29T23:59:59.999999999Z"));
    }

    @Test
    void shouldLeaveEveryOtherFormToJackson() {
        for (String other : new String[] {"2026-12-06T16:14:03+01:00", "2026-12-06T16:14:03.Z", "2026-12-06T16:14Z",
                "2026-12-06 16:14:03Z", "2026-12-06T24:00:00Z", "2026-02-30T10:00:00Z", "2026-12-06T16:14:60Z",
                "+12026-12-06T16:14:03Z", "2026-12-06T16:14:03.1234567890Z", "2026-1a-06T16:14:03Z", ""}) {
            assertThat(IsoInstantDeserializer.parse(other)).as(other).isNull();
        }
    }

    @Test
    void shouldStillReadOffsetsAndEpochNumbersThroughJackson() {
        assertThat(read("{\"id\":\"a\",\"at\":\"2026-12-06T17:14:03+01:00\"}").at()).isEqualTo(Instant.parse("2026-12-06T16:14:03Z"));
        assertThat(read("{\"id\":\"a\",\"at\":1765037643.5}").at()).isEqualTo(Instant.ofEpochSecond(1_765_037_643L, 500_000_000));
        assertThat(read("{\"id\":\"a\"}").at()).isNull();
    }

    @Test
    void shouldRefuseADateThatDoesNotExist() {
        assertThatThrownBy(() -> read("{\"id\":\"a\",\"at\":\"2026-02-30T10:00:00Z\"}")).isInstanceOf(SerializationException.class);
    }

    @Test
    void shouldRoundTripThroughTheSerde() {
        Stamped s = new Stamped("a", Instant.parse("2026-12-06T16:14:03.123456789Z"));
        assertThat(serde.deserialize("t", serde.serialize("t", s))).isEqualTo(s);
    }

    private Stamped read(String json) {
        return serde.deserialize("t", json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
