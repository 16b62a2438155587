/**
 * Session descriptions: parsing browsers' offers and answers, choosing codecs, writing the forwarder's
 * answers (publish PeerConnection) and offers (subscribe PeerConnection). Control plane only: called when
 * signaling arrives, never per packet.
 */
package dev.rendezvous.forwarder.sdp;
