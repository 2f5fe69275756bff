package io.storeman.oauth.authorize;

import io.storeman.oauth.Scopes;
import io.storeman.oauth.ScopesColumn;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * An authorization code (RFC 6749 §4.1.2), stored as the SHA-256 of its value and bound to its client, redirect URI
 * and PKCE challenge. {@code familyId} is the family of the tokens its redemption issues, fixed in advance so that a
 * second redemption can revoke them.
 */
@Entity
@Table(name = "authorization_codes")
public class AuthorizationCode {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "code_hash", nullable = false)
    public String codeHash;

    @Column(name = "application_id", nullable = false)
    public Long applicationId;

    @Column(name = "user_id", nullable = false)
    public Long userId;

    /** The redirect URI the authorization request named; null when it named none (the registered one applied). */
    @Column(name = "redirect_uri")
    public String redirectUri;

    @Column(nullable = false)
    @Convert(converter = ScopesColumn.class)
    public Scopes scope;

    /** BASE64URL(SHA-256(code_verifier)): only S256 is supported. */
    @Column(name = "code_challenge", nullable = false)
    public String codeChallenge;

    @Column(name = "family_id", nullable = false)
    public UUID familyId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "used_at")
    public Instant usedAt;

    /** The {@code nonce} of an OpenID Connect request, echoed in the ID token; null when it carried none. */
    @Column
    public String nonce;

    /** When the user signed in (the web session's start): the ID token's {@code auth_time}. */
    @Column(name = "auth_time")
    public Instant authTime;
}
