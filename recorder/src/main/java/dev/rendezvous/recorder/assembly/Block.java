package dev.rendezvous.recorder.assembly;

/** One coded frame (video) or packet (audio) at its place in the file's time, in milliseconds. */
record Block(long timeMs, boolean video, boolean keyframe, byte[] data) {}
