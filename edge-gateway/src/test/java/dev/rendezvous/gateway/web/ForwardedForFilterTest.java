package dev.rendezvous.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

class ForwardedForFilterTest {

    private static String last(String... headers) {
        var a = ForwardedForFilter.lastForwarded(List.of(headers));
        return a == null ? null : a.getAddress().getHostAddress();
    }

    @Test
    void theProxysEntryWinsOverWhatTheClientClaimed() {
        assertThat(last("1.2.3.4, 10.0.0.7")).isEqualTo("10.0.0.7");
        assertThat(last("1.2.3.4", "198.51.100.2")).as("the last header line").isEqualTo("198.51.100.2");
        assertThat(last(" 2001:db8::1 ")).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(last("1.2.3.4, [2001:db8::2]")).isEqualTo("2001:db8:0:0:0:0:0:2");
    }

    @Test
    void aValueThatIsNoAddressLeavesTheConnectionsAddress() {
        assertThat(last("1.2.3.4, example.com")).as("never a name lookup").isNull();
        assertThat(last("1.2.3.4, ")).isNull();
        assertThat(last("unknown")).isNull();
        assertThat(ForwardedForFilter.lastForwarded(null)).isNull();
        assertThat(ForwardedForFilter.lastForwarded(List.of())).isNull();
    }

    /** The address the rest of the chain sees for a request from {@code peer} carrying {@code header}. */
    private static String seenAddress(String trusted, String peer, String header) throws Exception {
        ForwardedForFilter filter = new ForwardedForFilter(TrustedProxies.parse(List.of(trusted.split(","))));
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/ws")
                .remoteAddress(new InetSocketAddress(InetAddress.getByName(peer), 40000))
                .header(ForwardedForFilter.HEADER, header));
        AtomicReference<String> seen = new AtomicReference<>();
        filter.filter(exchange, e -> {
            seen.set(e.getRequest().getRemoteAddress().getAddress().getHostAddress());
            return Mono.empty();
        }).block();
        return seen.get();
    }

    @Test
    void shouldBelieveTheHeaderOnlyFromATrustedProxy() throws Exception {
        assertThat(seenAddress("127.0.0.1,::1", "127.0.0.1", "198.51.100.7")).isEqualTo("198.51.100.7");
        assertThat(seenAddress("10.0.0.0/8", "10.42.3.9", "198.51.100.7")).as("inside the block").isEqualTo("198.51.100.7");
        assertThat(seenAddress("127.0.0.1,::1", "192.0.2.5", "198.51.100.7"))
                .as("a client talking to the gateway directly cannot pick its address").isEqualTo("192.0.2.5");
        assertThat(seenAddress("10.0.0.0/8", "11.0.0.1", "198.51.100.7")).isEqualTo("11.0.0.1");
    }

    @Test
    void shouldRefuseAMalformedTrustedProxyEntryByName() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TrustedProxies.parse(List.of("10.0.0.0/33")))
                .hasMessageContaining("10.0.0.0/33");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TrustedProxies.parse(List.of("proxy.example.com")))
                .hasMessageContaining("proxy.example.com");
    }
}
