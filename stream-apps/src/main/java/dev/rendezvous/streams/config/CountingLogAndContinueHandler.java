package dev.rendezvous.streams.config;

import dev.rendezvous.streams.room.RoomMetrics;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/**
 * Kafka Streams' log-and-continue deserialization handler that also counts
 * ({@link RoomMetrics.Outcome#UNDECODABLE}), so that skipped garbage shows on the dashboards and not only
 * in the log.
 */
public final class CountingLogAndContinueHandler extends LogAndContinueExceptionHandler {

    private RoomMetrics metrics = RoomMetrics.none();

    @Override
    public void configure(Map<String, ?> configs) {
        super.configure(configs);
        if (configs.get(RoomStreamsSettings.METRICS_CONFIG) instanceof RoomMetrics m) {
            metrics = m;
        }
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        metrics.count(RoomMetrics.Outcome.UNDECODABLE);
        return super.handleError(context, record, exception);
    }
}
