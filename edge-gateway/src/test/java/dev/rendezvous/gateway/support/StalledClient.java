package dev.rendezvous.gateway.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A WebSocket client on a bare TCP socket with a tiny receive buffer, which reads only when told to: the
 * slow consumer a gateway must drop. Speaks just enough of RFC 6455 for that (handshake, masked text frames out,
 * unfragmented frames in).
 */
public final class StalledClient implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final SecureRandom random = new SecureRandom();

    private StalledClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static StalledClient connect(RunningGateway gw) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096); // before connect, so the window stays small
        s.setSoTimeout(30_000);
        s.connect(new InetSocketAddress("127.0.0.1", gw.port), 10_000);
        StalledClient c = new StalledClient(s);
        byte[] key = new byte[16];
        c.random.nextBytes(key);
        String request = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + gw.port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        c.out.write(request.getBytes(StandardCharsets.US_ASCII));
        c.out.flush();
        String status = c.readLine();
        if (!status.contains(" 101 ")) {
            throw new IOException("handshake refused: " + status);
        }
        while (!c.readLine().isEmpty()) {
            // skip the response headers
        }
        return c;
    }

    /** Reads one unfragmented frame's payload as text; WebSocket pings before it are read and not answered. */
    public String readFrame() throws IOException {
        int b0 = in.readUnsignedByte();
        byte[] payload = payload();
        while ((b0 & 0x0f) == 9) {   // a ping: skip it
            b0 = in.readUnsignedByte();
            payload = payload();
        }
        if ((b0 & 0x0f) != 1) {
            throw new IOException("expected a text frame, got opcode " + (b0 & 0x0f));
        }
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** Sends one masked text frame. */
    public void sendText(String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        }
        byte[] mask = new byte[4];
        random.nextBytes(mask);
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /**
     * Starts a masked text frame announcing {@code length} bytes of payload and sends the first {@code sent} of them
     * (spaces): a frame left unfinished at the gateway until {@link #sendMore} completes it.
     */
    public void startText(int length, int sent) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.write(0x81);
        header.write(0x80 | 127);
        for (int shift = 56; shift >= 0; shift -= 8) {
            header.write((int) (((long) length >>> shift) & 0xff));
        }
        header.write(new byte[4]);   // a zero mask key: the payload goes as it is
        out.write(header.toByteArray());
        sendMore(sent);
    }

    /** More payload bytes (spaces) of the frame begun by {@link #startText}. */
    public void sendMore(int bytes) throws IOException {
        byte[] spaces = new byte[bytes];
        java.util.Arrays.fill(spaces, (byte) ' ');
        out.write(spaces);
        out.flush();
    }

    /**
     * Reads frames until the server's close frame and returns its status code (text frames and pings before it are
     * skipped); -1 when the connection ends without one.
     */
    public int readCloseCode() throws IOException {
        while (true) {
            int b0 = in.read();
            if (b0 < 0) {
                return -1;
            }
            byte[] payload = payload();
            if ((b0 & 0x0f) == 8) {
                return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
            }
        }
    }

    /** The rest of a server frame after its first byte: the length (unmasked, as a server sends) and the payload. */
    private byte[] payload() throws IOException {
        long len = in.readUnsignedByte() & 0x7f;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        return payload;
    }

    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
