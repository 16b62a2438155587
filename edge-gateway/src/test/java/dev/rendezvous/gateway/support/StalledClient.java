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
        while ((b0 & 0x0f) == 9) {   // a ping: skip its payload (at most 125 bytes, unmasked from a server)
            in.readFully(new byte[in.readUnsignedByte() & 0x7f]);
            b0 = in.readUnsignedByte();
        }
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
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
