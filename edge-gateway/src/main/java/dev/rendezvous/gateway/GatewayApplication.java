package dev.rendezvous.gateway;

import dev.rendezvous.gateway.config.GatewayConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The edge gateway: clients' only door (REST, pages, WebSocket). No component scanning: every bean is declared in
 * the one composition root, {@link GatewayConfiguration}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(GatewayConfiguration.class)
public class GatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(GatewayApplication.class, args);
    }
}
