package dev.rendezvous.gateway.config;

import dev.rendezvous.gateway.store.AdmissionRecorder;
import dev.rendezvous.gateway.store.Admissions;
import dev.rendezvous.gateway.store.ChatHistory;
import dev.rendezvous.gateway.store.Meetings;
import dev.rendezvous.gateway.store.Schema;
import dev.rendezvous.gateway.web.Bearer;
import dev.rendezvous.gateway.web.ChatHistoryController;
import dev.rendezvous.gateway.web.HistoryAccess;
import dev.rendezvous.gateway.web.HostRequests;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Who was admitted into which meeting (recorded from the deliveries, see {@code deliveryRouter}) and the chat
 * history that depends on it; imported by {@link GatewayConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
public class AccessConfiguration {

    /** Admission writes waiting for PostgreSQL before new ones are dropped (and the history check asks the room). */
    static final int ADMISSION_QUEUE = 10_000;

    @Bean
    Admissions admissions(DatabaseClient db, Schema schema, dev.rendezvous.resilience.Guards guards) {
        return new Admissions(db, guards.of(dev.rendezvous.resilience.Dependency.POSTGRESQL));
    }

    @Bean(destroyMethod = "close")
    AdmissionRecorder admissionRecorder(Admissions admissions, Clock clock) {
        return new AdmissionRecorder(admissions, clock, ADMISSION_QUEUE);
    }

    @Bean
    HistoryAccess historyAccess(Meetings meetings, Admissions admissions, HostRequests hostRequests) {
        return new HistoryAccess(meetings, admissions, hostRequests);
    }

    @Bean
    ChatHistoryController chatHistoryController(Meetings meetings, ChatHistory history, HistoryAccess access, Bearer bearer) {
        return new ChatHistoryController(meetings, history, access, bearer);
    }
}
