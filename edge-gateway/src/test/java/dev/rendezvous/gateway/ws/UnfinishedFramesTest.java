package dev.rendezvous.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link UnfinishedFrames} on Netty's own WebSocket decoder in an embedded channel (no network, virtual time). */
class UnfinishedFramesTest {

    private final List<UnfinishedFrames.Reason> closed = new ArrayList<>();
    private final UnfinishedFrames frames = new UnfinishedFrames(1_000, Duration.ofSeconds(30), closed::add);

    private EmbeddedChannel socket() {
        return socket(null);
    }

    /** A socket behind Netty's decoder, closed by {@code closer} (null: a close frame written to the channel). */
    private EmbeddedChannel socket(UnfinishedFrames.Closer closer) {
        EmbeddedChannel ch = new EmbeddedChannel(new WebSocket08FrameDecoder(WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(true).maxFramePayloadLength(10_000).build()));
        ch.freezeTime();
        if (closer == null) {
            frames.watch(ch);
        } else {
            frames.watch(ch, closer);
        }
        return ch;
    }

    /** A masked text frame of {@code length} spaces, as a client sends it. */
    private static byte[] frame(int length) {
        return frame(length, 0x01, true);
    }

    /** A masked frame of {@code length} spaces with the given opcode, final or not. */
    private static byte[] frame(int length, int opcode, boolean last) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte((last ? 0x80 : 0) | opcode);
        if (length <= 125) {
            b.writeByte(0x80 | length);
        } else {
            b.writeByte(0x80 | 126).writeShort(length);
        }
        b.writeInt(0);   // mask key 0: the payload as it is
        for (int i = 0; i < length; i++) {
            b.writeByte(' ');
        }
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        return bytes;
    }

    private static void send(EmbeddedChannel ch, byte[] bytes, int from, int to) {
        ch.writeInbound(Unpooled.wrappedBuffer(bytes, from, to - from));
    }

    @Test
    void shouldHoldAFramesBytesUntilItCompletesThenNone() {
        EmbeddedChannel ch = socket();
        byte[] f = frame(300);   // 2 + 2 + 4 + 300 bytes
        send(ch, f, 0, 100);
        assertThat(frames.held()).isEqualTo(100);
        send(ch, f, 100, f.length);
        assertThat(frames.held()).isZero();
        TextWebSocketFrame read = ch.readInbound();
        assertThat(read.text()).hasSize(300);
        read.release();
        assertThat(UnfinishedFrames.wireSize(300)).isEqualTo(f.length);
        assertThat(UnfinishedFrames.wireSize(100)).isEqualTo(106);
        assertThat(UnfinishedFrames.wireSize(70_000)).isEqualTo(70_014);
    }

    @Test
    void shouldCloseTheLargestHolderWhenAReadTakesTheSumOverTheBudget() {
        EmbeddedChannel big = socket();
        EmbeddedChannel small = socket();
        byte[] f = frame(900);
        send(big, f, 0, 700);
        send(small, f, 0, 200);
        assertThat(frames.held()).isEqualTo(900);
        assertThat(closed).isEmpty();

        send(small, f, 200, 400);   // 1,100 > 1,000: the holder of 700 goes, not the one that read
        big.runPendingTasks();
        assertThat(closed).containsExactly(UnfinishedFrames.Reason.FRAMES_OVER_BUDGET);
        CloseWebSocketFrame close = big.readOutbound();
        assertThat(close.statusCode()).isEqualTo(1013);
        close.release();
        assertThat(big.isOpen()).isFalse();
        assertThat(small.isOpen()).isTrue();
        assertThat(frames.held()).isEqualTo(400);
    }

    @Test
    void shouldCloseASocketWhoseMessageDoesNotCompleteWithinTheTimeOfTheReadThatBeganIt() {
        EmbeddedChannel stalled = socket();
        EmbeddedChannel busy = socket();
        byte[] f = frame(300);
        send(stalled, f, 0, 50);
        send(busy, f, 0, 50);
        advance(20, stalled, busy);
        send(busy, f, 50, f.length);   // completes at 20 s; the next one begins in its own read
        ((TextWebSocketFrame) busy.readInbound()).release();
        send(busy, f, 0, 50);

        advance(11, stalled, busy);   // 31 s
        assertThat(closed).containsExactly(UnfinishedFrames.Reason.FRAME_TOO_SLOW);
        assertThat(stalled.isOpen()).isFalse();
        assertThat(busy.isOpen()).as("its message began at 20 s").isTrue();
        assertThat(frames.held()).isEqualTo(50);

        advance(18, busy);   // 49 s
        assertThat(busy.isOpen()).isTrue();
        advance(2, busy);    // 51 s
        assertThat(busy.isOpen()).isFalse();
        assertThat(frames.held()).isZero();
    }

    @Test
    void shouldCountAFragmentedMessageUntilItsFinalFragmentAndNotRestartItsTimeOnPings() {
        EmbeddedChannel ch = socket();
        byte[] first = frame(100, 0x01, false);     // text, not final
        byte[] middle = frame(100, 0x00, false);    // continuation, not final
        byte[] ping = frame(4, 0x09, true);
        byte[] last = frame(100, 0x00, true);       // continuation, final
        send(ch, first, 0, first.length);
        send(ch, middle, 0, middle.length);
        assertThat(frames.held()).as("two whole fragments, kept by the aggregator").isEqualTo(2L * first.length);
        advance(20, ch);
        send(ch, ping, 0, ping.length);
        assertThat(frames.held()).as("a ping is not part of the message").isEqualTo(2L * first.length);
        advance(11, ch);   // 31 s after the message began: the ping did not give it more time
        assertThat(ch.isOpen()).isFalse();
        assertThat(closed).containsExactly(UnfinishedFrames.Reason.FRAME_TOO_SLOW);

        EmbeddedChannel other = socket();
        send(other, first, 0, first.length);
        send(other, last, 0, last.length);
        assertThat(frames.held()).as("the final fragment ends the message").isZero();
    }

    private static void advance(int seconds, EmbeddedChannel... channels) {
        for (EmbeddedChannel ch : channels) {
            ch.advanceTimeBy(seconds, TimeUnit.SECONDS);
            ch.runScheduledPendingTasks();
            ch.runPendingTasks();
        }
    }

    @Test
    void shouldCountASocketToldToCloseAsLeavingUntilItClosesAndCutItAfterASecond() {
        List<Integer> told = new ArrayList<>();
        EmbeddedChannel big = socket((code, reason) -> told.add(code));   // a client that never lets the close frame out
        EmbeddedChannel small = socket();
        byte[] f = frame(900);
        send(big, f, 0, 700);
        send(small, f, 0, 200);
        send(small, f, 200, 400);   // over the budget: the holder of 700 is told to close
        assertThat(told).containsExactly(1013);
        assertThat(big.isOpen()).as("it has not closed yet").isTrue();
        assertThat(frames.leaving()).isEqualTo(700);

        send(small, f, 400, 600);   // 1,300 held, 700 of them leaving: within the budget, nobody else is closed
        assertThat(closed).containsExactly(UnfinishedFrames.Reason.FRAMES_OVER_BUDGET);
        assertThat(small.isOpen()).isTrue();

        advance(1, big);   // not closed after a second: cut
        assertThat(big.isOpen()).isFalse();
        assertThat(frames.leaving()).isZero();
        assertThat(frames.held()).isEqualTo(600);
    }

    @Test
    void shouldForgetASocketsBytesWhenItCloses() {
        EmbeddedChannel ch = socket();
        send(ch, frame(500), 0, 300);
        assertThat(frames.held()).isEqualTo(300);
        ch.close();
        assertThat(frames.held()).isZero();
        assertThat(closed).isEmpty();
    }

    @Test
    void shouldRefuseABudgetOrTimeoutThatIsNotPositive() {
        assertThatThrownBy(() -> new UnfinishedFrames(0, Duration.ofSeconds(1), r -> {}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UnfinishedFrames(1, Duration.ZERO, r -> {}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
