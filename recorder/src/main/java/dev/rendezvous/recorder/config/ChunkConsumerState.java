package dev.rendezvous.recorder.config;

/**
 * What health reports about the chunk consumer: UP once it has been assigned partitions (it then stays UP
 * through rebalances), DOWN while it is being restarted after a failure.
 */
final class ChunkConsumerState {

    private volatile boolean assigned;
    private volatile int partitions;
    private volatile String lastError;
    private volatile long chunks;

    void onAssigned(int count) {
        partitions = count;
        if (count > 0) {
            assigned = true;
            lastError = null;
        }
    }

    void onFailed(Throwable e) {
        assigned = false;
        lastError = String.valueOf(e.getMessage());
    }

    void onChunk() {
        chunks++;
    }

    boolean up() {
        return assigned;
    }

    int partitions() {
        return partitions;
    }

    long chunks() {
        return chunks;
    }

    String lastError() {
        return lastError;
    }
}
