-- OpenID Connect (docs/security.md, "OpenID Connect"): what a client registers, what an authorization code and a
-- refresh token remember for the ID tokens they yield, and the secret behind pairwise subjects.

-- Registration (OpenID Connect Dynamic Client Registration 1.0 §2 names the fields): the URIs the end-session
-- endpoint may redirect to (exact match, RP-Initiated Logout 1.0 §3), the algorithm of the client's ID tokens (each
-- signing key has one algorithm; RS256 is the default the specification demands), and whether its `sub` is the
-- public one or a pairwise one derived for its sector (the host of its redirect URI, Core 1.0 §8.1). The URIs are
-- space-separated (a URI holds no space), as scopes are, in a varchar (at most 5 URIs of 2,000 characters): dev mode's
-- Hibernate Reactive schema check cannot read the type of a text or text[] column.
alter table oauth_applications
    add column post_logout_redirect_uris varchar(10004) not null default '',
    add column id_token_signed_response_alg varchar(10) not null default 'RS256'
        constraint oauth_applications_id_token_alg check (id_token_signed_response_alg in ('RS256', 'ES256')),
    add column subject_type varchar(10) not null default 'public'
        constraint oauth_applications_subject_type check (subject_type in ('public', 'pairwise'));

-- An authorization code of an `openid` request keeps the request's nonce, to echo in the ID token exactly, and the
-- time the user signed in (the web session's start), the ID token's auth_time.
alter table authorization_codes
    add column nonce varchar(2048),
    add column auth_time timestamptz;

-- A refresh token of an `openid` grant keeps the original auth_time, so that every ID token a refresh issues states
-- when the user really signed in (Core 1.0 §12.2). Rotation copies it to the successor.
alter table refresh_tokens add column auth_time timestamptz;

-- Server-wide secrets every instance must share, created once by whichever instance starts first. The pairwise
-- subject key derives the `sub` of pairwise clients (Core 1.0 §8.1).
create table server_secrets (
    name       varchar(64) primary key,
    value      bytea       not null,
    created_at timestamptz not null default now()
);
