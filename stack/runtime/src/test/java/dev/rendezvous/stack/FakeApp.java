package dev.rendezvous.stack;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A tiny real HTTP server standing in for one of our Spring Boot apps in the stack's tests (the apps are
 * built by other modules): {@code java -jar fake.jar --server.port=P --management.server.port=M [args]} serves
 * {@code /args} (its arguments, one per line) on P, and {@code /actuator/health} ({@code {"status":"UP"}}) and
 * {@code /config} (the properties file named by {@code --spring.config.import=file:F}, as read) on M.
 * {@code --fake.exit-code=N} makes it print "boom" and exit with N instead.
 */
public final class FakeApp {

    private FakeApp() {}

    public static void main(String[] args) throws IOException {
        int port = -1;
        int managementPort = -1;
        String imported = null;
        for (String a : args) {
            if (a.startsWith("--server.port=")) {
                port = Integer.parseInt(a.substring("--server.port=".length()));
            }
            if (a.startsWith("--management.server.port=")) {
                managementPort = Integer.parseInt(a.substring("--management.server.port=".length()));
            }
            if (a.startsWith("--spring.config.import=file:")) {
                imported = a.substring("--spring.config.import=file:".length());
            }
            if (a.startsWith("--fake.exit-code=")) {
                System.out.println("boom: asked to fail with " + a);
                System.exit(Integer.parseInt(a.substring("--fake.exit-code=".length())));
            }
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 16);
        server.createContext("/args", ex -> reply(ex, String.join("\n", Arrays.asList(args))));
        server.start();
        HttpServer management = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), managementPort), 16);
        management.createContext("/actuator/health", ex -> reply(ex, "{\"status\":\"UP\"}"));
        String config = imported == null ? "" : Files.readString(Path.of(imported)); // read once, as Spring does
        management.createContext("/config", ex -> reply(ex, config));
        management.start();
        System.out.println("fake app listening on " + port + ", management on " + managementPort);
    }

    private static void reply(com.sun.net.httpserver.HttpExchange ex, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }
}
