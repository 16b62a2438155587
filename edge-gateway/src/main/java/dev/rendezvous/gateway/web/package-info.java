/** The HTTP side: REST API (API.md), its single JSON error handler, and the server-rendered meeting page. */
package dev.rendezvous.gateway.web;
