package dev.rendezvous.recorder.composite;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders the composite from local participant files: each file is placed on the recording's timeline by its
 * offset, the files of one participant and source share a cell, and at each frame the cells present then are laid
 * out on the whole canvas ({@link CompositeLayout}: a gallery, or a shared screen on the stage with the others
 * beside it), the active speaker's picture outlined ({@link SpeakerTracker}, from each cell's own audio); every
 * file's audio is summed into one mono track ({@link AudioMix}). Time moves in frame periods; each input is read
 * only a little ahead of it, so memory stays flat whatever the length. Everything is encoded once ({@link CompositeEncoder}).
 */
final class CompositeRenderer {

    private static final Logger log = LoggerFactory.getLogger(CompositeRenderer.class);

    /** How long a cell keeps its place after its file ended. */
    static final double STAY_SEC = 1.0;
    /** The source of a cell that is a shared screen. */
    static final String SCREEN = "screen";
    /** How far ahead of the frame being drawn inputs are read (so that all audio up to it is mixed). */
    private static final double LOOKAHEAD_SEC = 0.2;
    /** Audio of one input this close to where it left off continues there (no tiny gaps or overlaps). */
    private static final long AUDIO_SNAP_SAMPLES = AudioMix.RATE * 40 / 1000;

    /**
     * One participant file on the timeline.
     *
     * @param cell        which cell it belongs to: {@code <participant>/<source>}; a source {@code screen} is a
     *                    shared screen
     * @param offsetSec   where its time 0 is on the composite's timeline
     * @param durationSec its duration
     */
    record Input(String cell, Path file, double offsetSec, double durationSec) {}

    /** What was written; {@code unreadableInputs}: files that could not be opened (left out). */
    record Result(double durationSec, long frames, long decodeErrors, int unreadableInputs) {}

    static {
        // FFmpeg logs to stderr, past our logging; what matters comes back as return codes and counted errors
        org.bytedeco.ffmpeg.global.avutil.av_log_set_level(org.bytedeco.ffmpeg.global.avutil.AV_LOG_FATAL);
    }

    private CompositeRenderer() {
    }

    static Result render(List<Input> inputs, Path out, CompositeSettings settings) throws IOException {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("a composite needs at least one input");
        }
        List<Input> byStart = new ArrayList<>(inputs);
        byStart.sort(Comparator.comparingDouble(Input::offsetSec));
        Map<String, Integer> cells = new LinkedHashMap<>();
        byStart.forEach(i -> cells.putIfAbsent(i.cell(), cells.size()));
        double total = byStart.stream().mapToDouble(i -> i.offsetSec() + i.durationSec()).max().orElse(0);
        long frames = Math.max(1, (long) Math.ceil(total * settings.fps()));

        List<Tile> tiles = new ArrayList<>();
        List<Source> sources = new ArrayList<>();
        long errors = 0;
        int unreadable = 0;
        try (CompositeEncoder encoder = new CompositeEncoder(out, settings)) {
            java.util.Set<Integer> screens = new java.util.HashSet<>();
            for (Map.Entry<String, Integer> c : cells.entrySet()) {
                tiles.add(new Tile());
                if (c.getKey().endsWith("/" + SCREEN)) {
                    screens.add(c.getValue());
                }
            }
            SpeakerTracker speakers = new SpeakerTracker();
            for (Input in : byStart) {
                int cell = cells.get(in.cell());
                sources.add(new Source(in, tiles.get(cell), cell, speakers));
            }
            AudioMix mix = new AudioMix();
            int w = settings.width();
            int h = settings.height();
            byte[] y = new byte[w * h];
            byte[] u = new byte[w / 2 * (h / 2)];
            byte[] v = new byte[u.length];
            int audioFrame = encoder.audioFrameSize();
            for (long f = 0; f < frames; f++) {
                double t = (double) f / settings.fps();
                for (Source s : sources) {
                    s.readUntil(t + LOOKAHEAD_SEC, mix);
                }
                Arrays.fill(y, (byte) 16); // black in limited range
                Arrays.fill(u, (byte) 128);
                Arrays.fill(v, (byte) 128);
                List<Integer> present = new ArrayList<>();
                for (int i = 0; i < tiles.size(); i++) {
                    if (present(sources, tiles.get(i), t, settings.fps())) {
                        present.add(i);
                    } else {
                        tiles.get(i).blank();
                    }
                }
                Map<Integer, GridLayout.Rect> places = CompositeLayout.place(w, h, present, stage(sources, screens, t));
                int speaker = speakers.speakerAt(t, present);
                for (int i : present) {
                    Tile tile = tiles.get(i);
                    GridLayout.Rect where = places.get(i);   // null: present but not shown (no room beside a screen)
                    tile.place(where);
                    tile.show(t);
                    if (where != null) {
                        tile.draw(y, u, v, w);
                        if (i == speaker && present.size() > 1) {
                            tile.outline(y, u, v, w);
                        }
                    }
                }
                encoder.picture(f, y, u, v);
                long audioUntil = Math.round((double) (f + 1) / settings.fps() * AudioMix.RATE);
                while (mix.taken() + audioFrame <= audioUntil) {
                    encoder.audio(mix.take(audioFrame));
                }
            }
            long audioEnd = Math.round(total * AudioMix.RATE);
            while (mix.taken() < audioEnd) {
                encoder.audio(mix.take(audioFrame));
            }
            encoder.finish();
        } finally {
            for (Source s : sources) {
                s.close();
                errors += s.decodeErrors;
                unreadable += s.unreadable ? 1 : 0;
            }
            tiles.forEach(Tile::close);
        }
        if (unreadable == inputs.size()) {
            throw new IOException("no input of the composite could be read");
        }
        return new Result(total, frames, errors, unreadable);
    }

    /**
     * Some readable file of the tile's cell covers time {@code t}, or ended less than {@link #STAY_SEC} before it (a
     * short gap between two files of one person, a reconnect, does not move everyone else).
     */
    private static boolean present(List<Source> sources, Tile tile, double t, int fps) {
        for (Source s : sources) {
            if (s.tile == tile && covers(s, t, STAY_SEC + 1.0 / fps)) {
                return true;
            }
        }
        return false;
    }

    private static boolean covers(Source s, double t, double after) {
        return !s.unreadable && t >= s.in.offsetSec() && t < s.in.offsetSec() + s.in.durationSec() + after;
    }

    /** The shared screen for the stage at {@code t}: of those being shared, the one whose file began last; or -1. */
    private static int stage(List<Source> sources, java.util.Set<Integer> screens, double t) {
        int stage = -1;
        double began = Double.NEGATIVE_INFINITY;
        for (Source s : sources) {
            if (screens.contains(s.cell) && covers(s, t, STAY_SEC) && s.in.offsetSec() >= began) {
                began = s.in.offsetSec();
                stage = s.cell;
            }
        }
        return stage;
    }

    /** One input being read: opened when its time comes, closed at its end. */
    private static final class Source implements MediaInput.Listener, AutoCloseable {
        final Input in;
        final Tile tile;
        private final int cell;
        private final SpeakerTracker speakers;
        private MediaInput media;
        private boolean done;
        private AudioMix mix;
        private long audioCursor = -1;
        long decodeErrors;
        boolean unreadable;

        Source(Input in, Tile tile, int cell, SpeakerTracker speakers) {
            this.in = in;
            this.tile = tile;
            this.cell = cell;
            this.speakers = speakers;
        }

        void readUntil(double t, AudioMix mix) throws IOException {
            if (done || t < in.offsetSec()) {
                return;
            }
            this.mix = mix;
            if (media == null) {
                try {
                    media = new MediaInput(in.file(), this);
                } catch (IOException e) {
                    // a damaged file costs its own cell and voice, not the whole composite
                    log.warn("composite input {} ({}) skipped: {}", in.file().getFileName(), in.cell(), e.getMessage());
                    unreadable = true;
                    done = true;
                    return;
                }
            }
            if (!media.readUntil(t - in.offsetSec())) {
                close();
                done = true;
            }
        }

        @Override
        public void video(double timeSec, AVFrame frame) {
            tile.offer(in.offsetSec() + timeSec, frame);
        }

        @Override
        public void audio(double timeSec, float[] samples, int n) {
            long at = Math.round((in.offsetSec() + timeSec) * AudioMix.RATE);
            if (audioCursor >= 0 && Math.abs(at - audioCursor) <= AUDIO_SNAP_SAMPLES) {
                at = audioCursor;
            }
            mix.add(at, samples, n);
            speakers.add(cell, at, samples, n);
            audioCursor = at + n;
        }

        @Override
        public void close() {
            if (media != null) {
                decodeErrors += media.decodeErrors();
                media.close();
                media = null;
            }
        }
    }
}
