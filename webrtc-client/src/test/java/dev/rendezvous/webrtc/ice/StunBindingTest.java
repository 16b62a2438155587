package dev.rendezvous.webrtc.ice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.forwarder.media.stun.StunBindingResponder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Our connectivity checks, judged by the forwarder's own responder. */
class StunBindingTest {

    private static final byte[] LOOPBACK = {127, 0, 0, 1};

    private final StunBindingResponder responder = new StunBindingResponder(
            ufrag -> ufrag.equals("srvU") ? "serverPassword1234567890".getBytes(StandardCharsets.UTF_8) : null);

    @Test
    void shouldWriteANominatingCheckTheForwarderAnswersAndWhoseAnswerWeAccept() {
        StunBinding stun = new StunBinding("srvU", "cli1", "serverPassword1234567890");
        byte[] tx = StunBinding.newTransactionId();
        byte[] request = new byte[256];
        int n = stun.writeRequest(request, tx, true);

        byte[] response = new byte[StunBindingResponder.MAX_RESPONSE];
        int r = responder.handle(request, 0, n, LOOPBACK, 5000, response);

        assertThat(r).isPositive();
        assertThat(responder.lastLocalUfrag()).isEqualTo("srvU");
        assertThat(responder.lastUseCandidate()).isTrue();
        assertThat(stun.isSuccessFor(response, r, tx)).isTrue();
        assertThat(stun.isSuccessFor(response, r, StunBinding.newTransactionId())).as("another transaction").isFalse();
    }

    @Test
    void shouldNotNominateOnAPlainCheck() {
        StunBinding stun = new StunBinding("srvU", "cli1", "serverPassword1234567890");
        byte[] request = new byte[256];
        int n = stun.writeRequest(request, StunBinding.newTransactionId(), false);
        assertThat(responder.handle(request, 0, n, LOOPBACK, 5000, new byte[StunBindingResponder.MAX_RESPONSE]))
                .isPositive();
        assertThat(responder.lastUseCandidate()).isFalse();
    }

    @Test
    void shouldBeRefusedWithTheWrongPassword() {
        StunBinding stun = new StunBinding("srvU", "cli1", "notTheServersPassword");
        byte[] request = new byte[256];
        int n = stun.writeRequest(request, StunBinding.newTransactionId(), true);
        assertThat(responder.handle(request, 0, n, LOOPBACK, 5000, new byte[StunBindingResponder.MAX_RESPONSE]))
                .isNegative();
        assertThat(responder.dropped(StunBindingResponder.Drop.BAD_INTEGRITY)).isEqualTo(1);
    }

    @Test
    void shouldRejectAResponseWhoseIntegrityDoesNotVerify() {
        StunBinding stun = new StunBinding("srvU", "cli1", "serverPassword1234567890");
        byte[] tx = StunBinding.newTransactionId();
        byte[] request = new byte[256];
        int n = stun.writeRequest(request, tx, true);
        byte[] response = new byte[StunBindingResponder.MAX_RESPONSE];
        int r = responder.handle(request, 0, n, LOOPBACK, 5000, response);
        response[25] ^= 1; // inside XOR-MAPPED-ADDRESS, covered by MESSAGE-INTEGRITY
        assertThat(stun.isSuccessFor(response, r, tx)).isFalse();
    }
}
