package io.storeman.application;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A client registered by a user. The secret is kept only as its SHA-256; public clients have none. */
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

    @Column(name = "secret_hash")
    public String secretHash;

    /** Space-separated registered scopes. */
    @Column(nullable = false)
    public String scopes;

    @Column(name = "redirect_uri")
    public String redirectUri;

    @Column(nullable = false)
    public boolean confidential;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
