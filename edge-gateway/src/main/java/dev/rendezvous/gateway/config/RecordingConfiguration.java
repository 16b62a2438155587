package dev.rendezvous.gateway.config;

import dev.rendezvous.gateway.web.Bearer;
import dev.rendezvous.gateway.web.HostRequests;
import dev.rendezvous.gateway.web.RecordingController;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The gateway's part of recording: starting and stopping it over REST (the room processor decides). */
@Configuration(proxyBeanMethods = false)
public class RecordingConfiguration {

    @Bean
    RecordingController recordingController(HostRequests requests, Bearer bearer) {
        return new RecordingController(requests, bearer);
    }
}
