/**
 * What the client sends: Opus-shaped audio with audio levels and VP8-shaped video with real payload
 * descriptors and keyframe headers, every payload stamped with its send time and sender, paced by the shared
 * scheduler.
 */
package dev.rendezvous.webrtc.media;
