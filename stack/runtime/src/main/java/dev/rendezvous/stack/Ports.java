package dev.rendezvous.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

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

    /** Free ports are chosen from here up to the kernel's ephemeral range, above every default port of the stack. */
    static final int CHOSEN_FROM = 20_000;
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    /**
     * {@code count} distinct ports that are free now (all held open together while choosing), chosen below the
     * kernel's ephemeral range: a port the kernel hands out for binding port 0 is one it also gives outgoing
     * connections, so between this choice and the server's bind a client connecting anywhere (the apps connect to
     * Kafka and PostgreSQL by the dozen while a fleet starts) could take it ("Port … was already in use"). Ports
     * from {@value #CHOSEN_FROM} up, from a random start so that stacks started one after another do not reuse
     * the same ones; the ephemeral range when nothing is free below it.
     */
    public static List<Integer> freePorts(int count) {
        int span = ephemeralLow() - CHOSEN_FROM;
        return freePorts(count, span > 0 ? ThreadLocalRandom.current().nextInt(span) : 0);
    }

    /** As {@link #freePorts(int)}, looking from port {@code CHOSEN_FROM + start} on (tests). */
    static List<Integer> freePorts(int count, int start) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            int span = ephemeralLow() - CHOSEN_FROM;
            for (int k = 0; k < span && ports.size() < count; k++) {
                ServerSocket s = tryBind(CHOSEN_FROM + Math.floorMod(start + k, span));
                if (s != null) {
                    held.add(s);
                    ports.add(s.getLocalPort());
                }
            }
            while (ports.size() < count) {
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

    private static ServerSocket tryBind(int port) {
        ServerSocket s = null;
        try {
            s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(loopback(), port), 1);
            return s;
        } catch (IOException e) {
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // nothing to do
                }
            }
            return null;
        }
    }

    /** The first port of the kernel's ephemeral range (32768 when it cannot be read). */
    static int ephemeralLow() {
        try {
            // not Files.readString: /proc reports a size of 0, and that read stops after the first byte
            String[] range = String.join(" ", Files.readAllLines(EPHEMERAL_RANGE)).trim().split("\\s+");
            return Math.max(CHOSEN_FROM, Math.min(65_536, Integer.parseInt(range[0])));
        } catch (IOException | RuntimeException e) {
            return 32_768;
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
