package dev.rendezvous.forwarder.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** The demultiplexing table and the rules for a transport's remote address. */
class TransportsTest {

    private final Transports transports = new Transports(new SecureRandom());
    private final Peer peer = new Peer(new Router("m"), "A", "pa");
    private final InetSocketAddress first = new InetSocketAddress("127.0.0.1", 5000);
    private final InetSocketAddress second = new InetSocketAddress("127.0.0.1", 6000);

    @Test
    void shouldFindATransportByUfragAndForgetItWhenClosed() {
        Transport t = transports.create(peer, TransportRole.PUBLISH, 1, 0);
        assertThat(transports.byUfrag(t.localUfrag)).isSameAs(t);
        assertThat(transports.passwordOf(t.localUfrag)).isEqualTo(t.localPwdBytes);
        transports.onAuthenticatedCheck(t, first, true, 0);
        assertThat(transports.byAddress(first)).isSameAs(t);
        transports.close(t);
        assertThat(transports.passwordOf(t.localUfrag)).isNull();
        assertThat(transports.byAddress(first)).isNull();
        assertThat(transports.pollForgotten()).isEqualTo(t.localUfrag);
    }

    @Test
    void shouldFollowNominationsWhileUnkeyedButNeedSrtpFromTheNewAddressOnceKeyed() {
        Transport t = transports.create(peer, TransportRole.SUBSCRIBE, 1, 0);
        transports.onAuthenticatedCheck(t, first, false, 0);
        assertThat(t.remote).isEqualTo(first);
        transports.onAuthenticatedCheck(t, second, true, 1);
        assertThat(t.remote).as("ICE still settling: the nomination moves it").isEqualTo(second);
        assertThat(transports.byAddress(first)).isNull();

        t.srtpIn = dev.rendezvous.forwarder.media.srtp.SrtpSession.forReceiving(
                dev.rendezvous.forwarder.media.srtp.SrtpProfile.AES_CM_128_HMAC_SHA1_80, new byte[16], new byte[14]);
        transports.onAuthenticatedCheck(t, first, true, 2);
        assertThat(t.remote).isEqualTo(second);
        assertThat(t.candidate).isEqualTo(first);
        assertThat(transports.byAddress(first)).as("found, to check its SRTP").isSameAs(t);
        assertThat(transports.confirmCandidate(t, new InetSocketAddress("127.0.0.1", 7000))).isFalse();
        assertThat(transports.confirmCandidate(t, first)).isTrue();
        assertThat(t.remote).isEqualTo(first);
        assertThat(t.candidate).isNull();
        assertThat(transports.byAddress(second)).isNull();
    }
}
