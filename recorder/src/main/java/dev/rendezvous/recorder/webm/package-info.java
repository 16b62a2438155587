/**
 * WebM (Matroska) writing without re-encoding: {@link dev.rendezvous.recorder.webm.WebmWriter} streams a video
 * track (VP8, VP9, or H.264 as Matroska) and an Opus track as Clusters of SimpleBlocks, forward only, so a file
 * can go to S3 part by part while the recording runs. Tested by reading what it writes back with FFmpeg.
 */
package dev.rendezvous.recorder.webm;
