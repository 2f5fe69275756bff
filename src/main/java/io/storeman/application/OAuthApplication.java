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

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
