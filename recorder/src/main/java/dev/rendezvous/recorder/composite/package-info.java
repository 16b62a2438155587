/**
 * The composite of a finished recording: its stored participant files read back, decoded with FFmpeg's
 * libraries in process, laid out in a grid with all audio mixed, encoded once (VP8 + Opus in WebM) and stored
 * as {@code composite.webm} beside them.
 */
package dev.rendezvous.recorder.composite;
