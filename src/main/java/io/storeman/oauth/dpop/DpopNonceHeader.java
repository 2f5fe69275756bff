package io.storeman.oauth.dpop;

import io.storeman.oauth.OAuthErrorWriter;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * With nonces on (B8), every answer to a request that carried a DPoP proof names the current nonce in
 * {@code DPoP-Nonce}, success or not: always rather than only near a slot's end, so a client that keeps the latest
 * nonce never pays a refused round trip, at the cost of one HMAC per answer. A refusal that set its own nonce keeps it.
 */
public class DpopNonceHeader {

    private final DpopVerifier dpop;

    DpopNonceHeader(DpopVerifier dpop) {
        this.dpop = dpop;
    }

    @ServerResponseFilter
    public void nonce(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getHeaderString(DpopVerifier.HEADER) == null
                || response.getHeaders().containsKey(OAuthErrorWriter.DPOP_NONCE)) {
            return;
        }
        String nonce = dpop.currentNonce();
        if (nonce != null) {
            response.getHeaders().putSingle(OAuthErrorWriter.DPOP_NONCE, nonce);
        }
    }
}
