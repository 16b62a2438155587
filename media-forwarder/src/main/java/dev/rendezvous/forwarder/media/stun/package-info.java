/**
 * ICE-lite STUN: answering connectivity checks (RFC 5389 / RFC 8489 binding requests with the ICE
 * attributes of RFC 8445) on the shared media port. Part of the packet path: no Kafka, Spring or JSON.
 */
package dev.rendezvous.forwarder.media.stun;
