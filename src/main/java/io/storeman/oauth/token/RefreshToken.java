package io.storeman.oauth.token;

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
 * A refresh token, stored as the SHA-256 of its value. Tokens rotated from one grant share a family; each row also
 * names the access token issued with it, so that rotation and revocation can reach that token too.
 */
@Entity
@Table(name = "refresh_tokens")
public class RefreshToken {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "token_hash", nullable = false)
    public String tokenHash;

    @Column(name = "family_id", nullable = false)
    public UUID familyId;

    @Column(name = "application_id", nullable = false)
    public Long applicationId;

    @Column(name = "user_id", nullable = false)
    public Long userId;

    @Column(nullable = false)
    @Convert(converter = ScopesColumn.class)
    public Scopes scope;

    @Column(name = "access_jti", nullable = false)
    public UUID accessJti;

    @Column(name = "access_expires_at", nullable = false)
    public Instant accessExpiresAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "used_at")
    public Instant usedAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    /** The thumbprint of the DPoP key a public client's token is bound to (docs/security.md B5); null if unbound. */
    @Column(name = "dpop_jkt")
    public String dpopJkt;

    /** When the user signed in, for the ID tokens of an {@code openid} grant; null for other grants. */
    @Column(name = "auth_time")
    public Instant authTime;
}
