package io.storeman.oauth.bearer;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;
import java.util.List;

/**
 * The access token an API request presented, still unverified: under the Bearer scheme (RFC 6750 §2.1), or under the
 * DPoP scheme (RFC 9449 §7.1) with the request's {@code DPoP} headers, method and path, which its proof must name.
 */
public final class BearerTokenRequest extends BaseAuthenticationRequest {

    private final String token;
    private final boolean dpop;
    private final List<String> proofs;
    private final String method;
    private final String path;

    public BearerTokenRequest(String token) {
        this(token, false, List.of(), null, null);
    }

    BearerTokenRequest(String token, boolean dpop, List<String> proofs, String method, String path) {
        this.token = token;
        this.dpop = dpop;
        this.proofs = proofs;
        this.method = method;
        this.path = path;
    }

    public String token() {
        return token;
    }

    /** Whether the token came under the DPoP scheme. */
    public boolean dpop() {
        return dpop;
    }

    /** Every {@code DPoP} header of the request. */
    public List<String> proofs() {
        return proofs;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }
}
