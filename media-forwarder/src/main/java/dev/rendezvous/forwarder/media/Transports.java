package dev.rendezvous.forwarder.media;

import dev.rendezvous.forwarder.media.dtls.DtlsServerEndpoint;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every transport of the forwarder, found by our ICE ufrag (STUN) or by remote address (DTLS, SRTP): the
 * demultiplexing table of the shared UDP port. Creating and closing happen on the control side; look-ups on
 * the packet thread (concurrent maps, no locks).
 */
final class Transports {

    private static final Logger log = LoggerFactory.getLogger(Transports.class);
    private static final String ALPHANUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private final SecureRandom random;
    private final Map<String, Transport> byUfrag = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, Transport> byAddress = new ConcurrentHashMap<>();
    /** Ufrags closed since the STUN responder last looked: it forgets their cached keys (packet thread). */
    private final ConcurrentLinkedQueue<String> forgotten = new ConcurrentLinkedQueue<>();

    Transports(SecureRandom random) {
        this.random = random;
    }

    Transport create(Peer owner, TransportRole role, long localSsrc, long nowNanos) {
        String ufrag;
        do {
            ufrag = randomString(8);
        } while (byUfrag.containsKey(ufrag));
        Transport t = new Transport(owner, role, ufrag, randomString(24), localSsrc, nowNanos);
        byUfrag.put(ufrag, t);
        return t;
    }

    void close(Transport t) {
        t.closed = true;
        byUfrag.remove(t.localUfrag, t);
        forgotten.add(t.localUfrag);
        InetSocketAddress remote = t.remote;
        if (remote != null) {
            byAddress.remove(remote, t);
        }
        InetSocketAddress candidate = t.candidate;
        if (candidate != null) {
            byAddress.remove(candidate, t);
        }
        DtlsServerEndpoint d;
        synchronized (t) { // pairs with DtlsHandshakes.startEarly: either its endpoint is seen here or it sees closed
            d = t.dtls;
        }
        if (d != null) {
            d.close();
        }
    }

    /** The password of an open transport's ufrag, or null (the STUN responder's credential look-up). */
    byte[] passwordOf(String ufrag) {
        Transport t = byUfrag.get(ufrag);
        return t == null || t.closed ? null : t.localPwdBytes;
    }

    Transport byUfrag(String ufrag) {
        return ufrag == null ? null : byUfrag.get(ufrag);
    }

    Transport byAddress(InetSocketAddress from) {
        return byAddress.get(from);
    }

    /** Next ufrag the STUN responder should forget, or null. */
    String pollForgotten() {
        return forgotten.poll();
    }

    /**
     * An authenticated STUN check from {@code from} (packet thread). The first address is taken at once; a new
     * one is taken at once while the transport has no keys and the check nominates it, else it becomes the
     * candidate that SRTP must confirm.
     */
    void onAuthenticatedCheck(Transport t, InetSocketAddress from, boolean useCandidate, long now) {
        t.lastStunNanos = now;
        if (useCandidate) {
            t.nominated = true;
        }
        InetSocketAddress current = t.remote;
        if (from.equals(current)) {
            return;
        }
        if (current == null || (!t.keyed() && useCandidate)) {
            moveTo(t, from);
            return;
        }
        InetSocketAddress previous = t.candidate;
        if (from.equals(previous)) {
            return;
        }
        if (previous != null) {
            byAddress.remove(previous, t);
        }
        t.candidate = from;
        byAddress.putIfAbsent(from, t);
    }

    /** A packet from {@code from} passed SRTP authentication on {@code t}: if that was its candidate, move there. */
    boolean confirmCandidate(Transport t, InetSocketAddress from) {
        if (!from.equals(t.candidate) || from.equals(t.remote)) {
            return false;
        }
        moveTo(t, from);
        return true;
    }

    private void moveTo(Transport t, InetSocketAddress to) {
        InetSocketAddress current = t.remote;
        if (current != null) {
            byAddress.remove(current, t);
        }
        t.candidate = null;
        t.remote = to;
        Transport previous = byAddress.put(to, t);
        if (previous != null && previous != t) {
            log.debug("address {} moved from {} to {}", to, previous.label(), t.label());
        }
    }

    String randomString(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(ALPHANUM.charAt(random.nextInt(ALPHANUM.length())));
        }
        return b.toString();
    }
}
