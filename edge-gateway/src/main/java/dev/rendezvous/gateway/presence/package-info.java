/**
 * Presence that expires: the gateway's heartbeats ({@link dev.rendezvous.gateway.presence.HeartbeatPublisher}) and
 * the WebSocket keep-alive that closes hung clients ({@link dev.rendezvous.gateway.presence.SocketKeepAlive}).
 */
package dev.rendezvous.gateway.presence;
