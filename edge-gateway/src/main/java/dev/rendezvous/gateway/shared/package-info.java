/**
 * The gateways' shared fast state: rate-limit counters, token revocations and socket presence, each an interface
 * with an in-process implementation (one gateway) and an Aerospike one (every gateway sees the same records).
 * Every record carries a TTL, so nothing needs cleaning up.
 */
package dev.rendezvous.gateway.shared;
