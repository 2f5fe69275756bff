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

/** The scopes a user has granted an application on the consent page. */
@Entity
@Table(name = "oauth_consents")
public class Consent {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "user_id", nullable = false)
    public Long userId;

    @Column(name = "application_id", nullable = false)
    public Long applicationId;

    /** The granted scopes. */
    @Column(nullable = false)
    @Convert(converter = ScopesColumn.class)
    public Scopes scope;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
