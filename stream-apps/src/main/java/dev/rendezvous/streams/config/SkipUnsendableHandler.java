package dev.rendezvous.streams.config;

import dev.rendezvous.streams.room.RoomMetrics;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The room processor's production exception handler: an output record the broker or the producer refuses for good
 * (too large, invalid, not serializable) is logged with its topic, key and size, counted
 * ({@link RoomMetrics.Outcome#UNSENDABLE}) and skipped, and the stream thread goes on. Kafka Streams' default fails
 * the thread, which then reads the same input again and fails again: one oversized record froze every room of its
 * partition. Transient errors (retriable: a leader moving, a timeout) are still retried.
 *
 * <p>The counterpart of {@link CountingLogAndContinueHandler} on the way out.
 */
public final class SkipUnsendableHandler implements ProductionExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(SkipUnsendableHandler.class);
    private static final int KEY_SHOWN = 100;

    private RoomMetrics metrics = RoomMetrics.none();

    @Override
    public void configure(Map<String, ?> configs) {
        if (configs.get(RoomStreamsSettings.METRICS_CONFIG) instanceof RoomMetrics m) {
            metrics = m;
        }
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (exception instanceof RetriableException) {
            return Response.retry();
        }
        skip(context, record, exception, "could not be sent");
        return Response.resume();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
                                             SerializationExceptionOrigin origin) {
        metrics.count(RoomMetrics.Outcome.UNSENDABLE);
        log.error("skipped an output record to {} whose {} could not be serialized (input {}-{}@{}): {}",
                record.topic(), origin == null ? "content" : origin.name().toLowerCase(java.util.Locale.ROOT),
                context == null ? "?" : context.topic(), context == null ? "?" : context.partition(),
                context == null ? "?" : context.offset(), exception.toString());
        return Response.resume();
    }

    private void skip(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception, String what) {
        metrics.count(RoomMetrics.Outcome.UNSENDABLE);
        log.error("skipped an output record that {}: topic {}, key {}, value {} bytes (input {}-{}@{}): {}", what,
                record.topic(), key(record.key()), record.value() == null ? 0 : record.value().length,
                context == null ? "?" : context.topic(), context == null ? "?" : context.partition(),
                context == null ? "?" : context.offset(), exception.toString());
    }

    private static String key(byte[] key) {
        if (key == null) {
            return "null";
        }
        String s = new String(key, StandardCharsets.UTF_8);
        return s.length() <= KEY_SHOWN ? s : s.substring(0, KEY_SHOWN) + "…";
    }
}
