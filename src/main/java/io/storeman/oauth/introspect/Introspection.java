package io.storeman.oauth.introspect;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The RFC 7662 §2.2 answer. An inactive token is {@code {"active": false}} and nothing else. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Introspection(boolean active, String scope, String clientId, String username, String tokenType,
        Long exp, Long iat, String sub, String aud, String iss, String jti) {

    static final Introspection INACTIVE = new Introspection(false, null, null, null, null, null, null, null, null,
            null, null);
}
