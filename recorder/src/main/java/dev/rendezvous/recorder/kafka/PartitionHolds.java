package dev.rendezvous.recorder.kafka;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * Which chunk offset of each partition may be committed: only what no unfinished work still needs.
 *
 * <p>A <em>holder</em> (a file being written: {@code <recordingId>/<file>}; a recording whose files, or a composite
 * made after it ended, are not stored yet: {@code <recordingId>}) {@link #hold holds} its partition from the offset
 * of its first chunk, and {@link #release releases} it once what it made is durable in S3. The safe offset of a
 * partition — the one committed, where a restarted or new owner resumes — is the first offset of its oldest hold,
 * or one past the last processed chunk when nothing is held.
 *
 * <p>A released holder is remembered with the last offset processed when it was released (its chunks all lie
 * before that). The safe offset never stops inside such a range: it goes back to the range's first offset instead,
 * so that a replay after a restart sees a completed file's chunks from its first one (and recognises the file as
 * stored) rather than only its tail (which would look like a new file). Such a range is forgotten once the safe
 * offset has passed it.
 *
 * <p>Thread-safe: the consumer thread processes and commits, a holder may release from another thread.
 */
public final class PartitionHolds {

    private record Hold(int partition, long first, long end) {
        boolean open() {
            return end == Long.MAX_VALUE;
        }
    }

    private final Map<String, Hold> holds = new HashMap<>();
    /** Per partition: one past the last processed offset. */
    private final Map<Integer, Long> next = new HashMap<>();

    /**
     * {@code key} holds {@code partition} from {@code offset} on. Holding a key that is already held keeps the
     * earlier offset (a holder's first chunk is what counts).
     */
    public synchronized void hold(String key, int partition, long offset) {
        Hold h = holds.get(key);
        if (h != null && h.open() && h.partition() == partition) {
            return;
        }
        if (h != null && !h.open()) {
            holds.put(key + "\u0000" + h.first(), h); // the released range still counts until passed
        }
        holds.put(key, new Hold(partition, offset, Long.MAX_VALUE));
    }

    /**
     * {@code key} holds from where {@code existing} holds (its partition and first offset): for work that goes on
     * after {@code existing} ends, e.g. a composite made once a recording's files are stored
     * ({@code holdAlongside("<recordingId>/composite", "<recordingId>")} before the recording's release). Returns
     * false, holding nothing, when {@code existing} does not hold now.
     */
    public synchronized boolean holdAlongside(String key, String existing) {
        Hold h = holds.get(existing);
        if (h == null || !h.open()) {
            return false;
        }
        hold(key, h.partition(), h.first());
        return true;
    }

    /** {@code key}'s work is durable: it no longer holds its partition back. A key not held is ignored. */
    public synchronized void release(String key) {
        Hold h = holds.get(key);
        if (h == null || !h.open()) {
            return;
        }
        long processed = next.getOrDefault(h.partition(), h.first() + 1) - 1;
        holds.put(key, new Hold(h.partition(), h.first(), Math.max(h.first(), processed)));
    }

    /** Whether {@code key} holds its partition now. */
    public synchronized boolean held(String key) {
        Hold h = holds.get(key);
        return h != null && h.open();
    }

    /** The chunk at {@code offset} of {@code partition} was processed. */
    public synchronized void processed(int partition, long offset) {
        next.merge(partition, offset + 1, Math::max);
    }

    /**
     * The offset to commit for {@code partition} (the next one a new owner reads); empty while nothing of the
     * partition was processed.
     */
    public synchronized OptionalLong safeOffset(int partition) {
        Long n = next.get(partition);
        if (n == null) {
            return OptionalLong.empty();
        }
        long safe = n;
        boolean moved = true;
        while (moved) {
            moved = false;
            for (Hold h : holds.values()) {
                if (h.partition() == partition && h.first() < safe && (h.open() || h.end() >= safe)) {
                    safe = h.first();
                    moved = true;
                }
            }
        }
        long s = safe;
        holds.values().removeIf(h -> h.partition() == partition && !h.open() && h.end() < s);
        return OptionalLong.of(safe);
    }

    /** How many processed offsets of {@code partition} are not committable yet (0 when nothing is held). */
    public synchronized long heldBack(int partition) {
        Long n = next.get(partition);
        return n == null ? 0 : n - safeOffset(partition).orElse(n);
    }

    /**
     * {@code partition} is no longer ours (revoked, lost, or the consumer stops): its holds and progress are
     * forgotten; the next owner resumes from the last committed safe offset. Returns the keys that held it.
     */
    public synchronized TreeSet<String> drop(int partition) {
        TreeSet<String> keys = new TreeSet<>();
        for (Iterator<Map.Entry<String, Hold>> it = holds.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Hold> e = it.next();
            if (e.getValue().partition() == partition) {
                if (e.getValue().open()) {
                    keys.add(e.getKey());
                }
                it.remove();
            }
        }
        next.remove(partition);
        return keys;
    }
}
