/** Draining a forwarder before it stops: announced in its metrics, over when its rooms moved away (or a timeout). */
package dev.rendezvous.forwarder.drain;
