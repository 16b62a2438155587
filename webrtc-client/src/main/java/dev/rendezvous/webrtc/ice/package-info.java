/**
 * The client's side of ICE against an ICE-lite forwarder: it is always the controlling agent, so all it needs is
 * to write nominating connectivity checks (and later consent checks) and recognise their answers.
 */
package dev.rendezvous.webrtc.ice;
