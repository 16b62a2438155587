/** PostgreSQL over R2DBC: the gateway's tables (users, meetings, participants, invitations) and read-only chat history. */
package dev.rendezvous.gateway.store;
