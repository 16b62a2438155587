package dev.rendezvous.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Port helpers for a stack that binds 127.0.0.1. */
public final class Ports {

    /** The one address every part of the stack binds to and is reached at. */
    public static final String HOST = "127.0.0.1";

    private Ports() {}

    static InetAddress loopback() {
        try {
            return InetAddress.getByName(HOST);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * True if a server could bind {@code 127.0.0.1:port} now. Uses SO_REUSEADDR, as the servers do, so that
     * connections in TIME_WAIT from a previous run do not count as "in use"; a listener on 0.0.0.0 or
     * 127.0.0.1 does.
     */
    public static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(loopback(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Fails with a {@link PortInUseException} naming the first port (in the map's order) that is taken. */
    public static void requireFree(Map<Integer, String> portsToComponents) {
        portsToComponents.forEach((port, component) -> {
            if (!isFree(port)) {
                throw new PortInUseException(port, component);
            }
        });
    }

    /** {@code count} distinct ephemeral ports that are free now (all held open together while choosing). */
    public static List<Integer> freePorts(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ServerSocket s = new ServerSocket();
                held.add(s);
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(loopback(), 0), 1);
                ports.add(s.getLocalPort());
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find free ports", e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // nothing to do
                }
            }
        }
    }

    public static int freePort() {
        return freePorts(1).get(0);
    }

    /** True if something accepts TCP connections on {@code 127.0.0.1:port}. */
    public static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(loopback(), port), 250);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
