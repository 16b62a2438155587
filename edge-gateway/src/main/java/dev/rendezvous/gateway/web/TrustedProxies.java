package dev.rendezvous.gateway.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The peers whose {@code X-Forwarded-For} the gateway believes ({@code rendezvous.limits.trusted-proxies}): IP
 * addresses or CIDR blocks ({@code 127.0.0.1}, {@code 10.0.0.0/8}, {@code ::1}, {@code fd00::/8}). Literals only:
 * never a name lookup. A blank list trusts nobody.
 */
public final class TrustedProxies {

    private record Block(byte[] network, int bits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Block> blocks;

    private TrustedProxies(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    /** Parses {@code 127.0.0.1}, {@code 10.0.0.0/8}, {@code ::1}…; a malformed entry fails with a message naming it. */
    public static TrustedProxies parse(List<String> entries) {
        List<Block> out = new ArrayList<>();
        for (String raw : entries == null ? List.<String>of() : entries) {
            String e = raw == null ? "" : raw.strip();
            if (e.isEmpty()) {
                continue;
            }
            int slash = e.indexOf('/');
            String ip = slash < 0 ? e : e.substring(0, slash);
            byte[] network = literal(ip);
            if (network == null) {
                throw new IllegalArgumentException("rendezvous.limits.trusted-proxies: not an IP address or CIDR block: " + e);
            }
            int bits = network.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(e.substring(slash + 1));
                } catch (NumberFormatException x) {
                    bits = -1;
                }
                if (bits < 0 || bits > network.length * 8) {
                    throw new IllegalArgumentException("rendezvous.limits.trusted-proxies: bad prefix length in " + e);
                }
            }
            out.add(new Block(network, bits));
        }
        return new TrustedProxies(out);
    }

    /** True if a connection from {@code address} may tell the gateway its client's address. */
    public boolean trusts(InetAddress address) {
        if (address == null) {
            return false;
        }
        byte[] a = address.getAddress();
        for (Block b : blocks) {
            if (b.contains(a)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] literal(String ip) {
        if (ip.isEmpty() || !(ip.matches("[0-9.]+") || ip.matches("[0-9a-fA-F:.]+") && ip.contains(":"))) {
            return null;
        }
        try {
            return InetAddress.getByName(ip).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
