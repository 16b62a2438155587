/**
 * The WebSocket endpoint: frame parsing and limits, per-socket state and bounded outbound queues, the translation
 * of frames into request records, and the routing of delivery records back to sockets (docs/protocol.md).
 */
package dev.rendezvous.gateway.ws;
