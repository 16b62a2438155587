/** Authentication: signed JWTs for users and guests (no session store) and bcrypt off the event loop. */
package dev.rendezvous.gateway.auth;
