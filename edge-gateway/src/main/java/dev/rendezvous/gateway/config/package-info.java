/** The composition root: typed settings ({@code rendezvous.*}) and every bean of the gateway. */
package dev.rendezvous.gateway.config;
