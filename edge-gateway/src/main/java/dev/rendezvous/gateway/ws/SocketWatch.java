package dev.rendezvous.gateway.ws;

/** Told when a socket opens and closes (presence records, sockets per address). Must not block. */
public interface SocketWatch {

    SocketWatch NONE = new SocketWatch() {
        @Override
        public void opened(String socketId, String address) {}

        @Override
        public void closed(String socketId, String address) {}
    };

    /** @param address the client address of the handshake */
    void opened(String socketId, String address);

    void closed(String socketId, String address);

    /** Both, in order. */
    static SocketWatch both(SocketWatch a, SocketWatch b) {
        return new SocketWatch() {
            @Override
            public void opened(String socketId, String address) {
                a.opened(socketId, address);
                b.opened(socketId, address);
            }

            @Override
            public void closed(String socketId, String address) {
                a.closed(socketId, address);
                b.closed(socketId, address);
            }
        };
    }
}
