package dev.rendezvous.streams.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.streams.room.RoomMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.Result;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.SerializationExceptionOrigin;
import org.junit.jupiter.api.Test;

class SkipUnsendableHandlerTest {

    private final List<RoomMetrics.Outcome> counted = new ArrayList<>();
    private final SkipUnsendableHandler handler = new SkipUnsendableHandler();
    private final ProducerRecord<byte[], byte[]> record =
            new ProducerRecord<>("analytics.event.recorded", "meeting-1".getBytes(), new byte[2_000_000]);

    SkipUnsendableHandlerTest() {
        handler.configure(Map.of(RoomStreamsSettings.METRICS_CONFIG, (RoomMetrics) counted::add));
    }

    @Test
    void shouldSkipAndCountARecordRefusedForGood() {
        assertThat(handler.handleError(null, record, new RecordTooLargeException("too large")).result())
                .isEqualTo(Result.RESUME);
        assertThat(handler.handleError(null, record, new InvalidRecordException("invalid")).result())
                .isEqualTo(Result.RESUME);
        assertThat(counted).containsExactly(RoomMetrics.Outcome.UNSENDABLE, RoomMetrics.Outcome.UNSENDABLE);
    }

    @Test
    void shouldRetryATransientError() {
        assertThat(handler.handleError(null, record, new NotLeaderOrFollowerException("moving")).result())
                .isEqualTo(Result.RETRY);
        assertThat(counted).isEmpty();
    }

    @Test
    void shouldSkipAndCountARecordThatCannotBeSerialized() {
        assertThat(handler.handleSerializationError(null, record, new SerializationException("bad"),
                SerializationExceptionOrigin.VALUE).result()).isEqualTo(Result.RESUME);
        assertThat(counted).containsExactly(RoomMetrics.Outcome.UNSENDABLE);
    }
}
