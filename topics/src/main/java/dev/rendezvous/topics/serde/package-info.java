/** Serdes of the catalogue: JSON for control records, raw bytes for media chunks. */
package dev.rendezvous.topics.serde;
