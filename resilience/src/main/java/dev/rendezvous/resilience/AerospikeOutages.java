package dev.rendezvous.resilience;

import com.aerospike.client.AerospikeException;
import com.aerospike.client.ResultCode;

/** The Aerospike client's ways of saying the cluster is not there (needs aerospike-client). */
final class AerospikeOutages {

    private AerospikeOutages() {}

    static boolean isOutage(Throwable t) {
        if (t instanceof AerospikeException.Timeout || t instanceof AerospikeException.Connection
                || t instanceof AerospikeException.AsyncQueueFull) {
            return true;
        }
        if (t instanceof AerospikeException a) {
            int code = a.getResultCode();
            return code == ResultCode.SERVER_NOT_AVAILABLE || code == ResultCode.INVALID_NODE_ERROR
                    || code == ResultCode.NO_MORE_CONNECTIONS || code == ResultCode.TIMEOUT;
        }
        return false;
    }
}
