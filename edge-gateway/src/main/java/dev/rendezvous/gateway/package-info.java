/**
 * The edge gateway: REST (auth, meetings, history), the web pages, and the WebSocket endpoint that turns client
 * frames into request records on Kafka and delivers records addressed to its sockets back to them. Stateless apart
 * from its open sockets.
 */
package dev.rendezvous.gateway;
