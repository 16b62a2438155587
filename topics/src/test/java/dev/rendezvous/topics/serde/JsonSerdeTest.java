package dev.rendezvous.topics.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.ChatMessage;
import dev.rendezvous.topics.model.ForwarderMetrics;
import dev.rendezvous.topics.model.GatewayDelivery;
import dev.rendezvous.topics.model.RoomEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class JsonSerdeTest {

    private final ChatMessage msg = new ChatMessage("m1", 7, "c-1", "u1", "Alice", "hi", Instant.parse("2026-11-25T10:00:00Z"));

    @Test
    void shouldRoundTripNestedRecordsAsReadableJson() {
        var serde = Topics.GATEWAY_DELIVERIES.valueSerde();
        var d = new GatewayDelivery("gw-1", 3, List.of("s1", "s2"), RoomEvent.chat(msg));
        byte[] bytes = serde.serializer().serialize("t", d);
        String json = new String(bytes, StandardCharsets.UTF_8);
        assertThat(json).contains("\"sentAt\":\"2026-11-25T10:00:00Z\"").contains("\"type\":\"CHAT\"")
                .doesNotContain("null");
        assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(d);
    }

    @Test
    void shouldIgnoreUnknownFields() {
        String json = "{\"meetingId\":\"m1\",\"seq\":1,\"clientMsgId\":\"c\",\"text\":\"x\",\"newField\":42}";
        ChatMessage m = JsonSerde.of(ChatMessage.class).deserialize("t", json.getBytes(StandardCharsets.UTF_8));
        assertThat(m.seq()).isEqualTo(1);
        assertThat(m.text()).isEqualTo("x");
    }

    @Test
    void shouldReadForwarderMetricsWithoutTheDrainingFieldAsNotDrainingAndRoundTripADrainingOne() {
        var serde = Topics.FORWARDER_METRICS.valueSerde();
        // a record of a forwarder from before draining existed (every other field is there; absent primitives would be
        // refused, which is why draining is a Boolean)
        String old = "{\"forwarderId\":\"fwd-1\",\"region\":\"local\",\"at\":\"2026-12-05T10:00:00Z\",\"capacity\":200,"
                + "\"rooms\":3,\"participants\":7,\"streamsIn\":2,\"streamsOut\":4,\"packetsInPerSec\":100.0,"
                + "\"packetsOutPerSec\":200.0,\"bitrateInBps\":1000.0,\"bitrateOutBps\":2000.0,\"lossRatio\":0.0,"
                + "\"jitterMs\":1.0,\"rttMs\":20.0,\"cpuLoad\":0.25}";
        ForwarderMetrics m = serde.deserializer().deserialize("t", old.getBytes(StandardCharsets.UTF_8));
        assertThat(m.isDraining()).isFalse();
        assertThat(m.draining()).isFalse();
        assertThat(m.rooms()).isEqualTo(3);

        ForwarderMetrics draining = m.withDraining(true);
        byte[] bytes = serde.serializer().serialize("t", draining);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"draining\":true");
        assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(draining);
        assertThat(serde.deserializer().deserialize("t", bytes).isDraining()).isTrue();
    }

    @Test
    void shouldThrowSerializationExceptionOnGarbage() {
        assertThatThrownBy(() -> JsonSerde.of(ChatMessage.class).deserialize("t", new byte[] {1, 2, 3}))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void shouldPassTombstonesThrough() {
        assertThat(JsonSerde.of(ChatMessage.class).deserialize("t", null)).isNull();
    }
}
