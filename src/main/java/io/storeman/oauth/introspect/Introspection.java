package io.storeman.oauth.introspect;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The RFC 7662 §2.2 answer. An inactive token is {@code {"active": false}} and nothing else. A DPoP-bound access
 * token has {@code token_type} {@code DPoP} and {@code cnf.jkt} (RFC 9449 §6.2).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Introspection(boolean active, String scope, String clientId, String username, String tokenType,
        Long exp, Long iat, String sub, String aud, String iss, String jti, Confirmation cnf) {

    static final Introspection INACTIVE = new Introspection(false, null, null, null, null, null, null, null, null,
            null, null, null);

    /** RFC 7800 §3.1's confirmation, holding the RFC 7638 thumbprint of the DPoP key. */
    public record Confirmation(String jkt) {
    }
}
