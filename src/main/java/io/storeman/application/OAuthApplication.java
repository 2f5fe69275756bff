package io.storeman.application;

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

/**
 * A client registered by a user. Its secrets are {@link ClientSecret}s (several may live at once, D10); public clients
 * have none.
 */
@Entity
@Table(name = "oauth_applications")
public class OAuthApplication {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "owner_id", nullable = false)
    public Long ownerId;

    @Column(nullable = false)
    public String name;

    @Column(name = "client_id", nullable = false)
    public String clientId;

    /**
     * The one secret hash instances of the previous version read, during a rolling upgrade only
     * ({@code V11__client_secrets.sql}). Never read here; set to null whenever the application's secrets change, so
     * that such an instance refuses the client rather than accept a deleted secret.
     */
    @Column(name = "secret_hash")
    public String legacySecretHash;

    /** The registered scopes. */
    @Column(nullable = false)
    @Convert(converter = ScopesColumn.class)
    public Scopes scopes;

    @Column(name = "redirect_uri")
    public String redirectUri;

    @Column(nullable = false)
    public boolean confidential;

    /**
     * Where the end-session endpoint may send the browser after logout (OpenID Connect RP-Initiated Logout 1.0),
     * each matched exactly; empty when none is registered.
     */
    @Column(name = "post_logout_redirect_uris", nullable = false)
    @Convert(converter = UriListColumn.class)
    public String[] postLogoutRedirectUris = new String[0];

    /** The algorithm of this client's ID tokens: {@code RS256} (the default) or {@code ES256}. */
    @Column(name = "id_token_signed_response_alg", nullable = false)
    public String idTokenSignedResponseAlg = "RS256";

    /** {@code public} (the default: one {@code sub} per user) or {@code pairwise} (one per user and sector). */
    @Column(name = "subject_type", nullable = false)
    public String subjectType = "public";

    /** Whether every token request must carry a DPoP proof, so that every access token is key-bound (RFC 9449). */
    @Column(name = "dpop_bound_access_tokens", nullable = false)
    public boolean dpopBoundAccessTokens;

    /** Whether authorization requests must come through the pushed authorization request endpoint (RFC 9126). */
    @Column(name = "require_pushed_authorization_requests", nullable = false)
    public boolean requirePushedAuthorizationRequests;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
