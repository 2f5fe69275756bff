-- What an application may demand of its own clients (issue 22): that every access token it gets be bound to a key
-- by DPoP (RFC 9449 §5.2, dpop_bound_access_tokens), and that every authorization request come through the pushed
-- authorization request endpoint (RFC 9126 §6, require_pushed_authorization_requests). Both off by default.
alter table oauth_applications
    add column dpop_bound_access_tokens boolean not null default false,
    add column require_pushed_authorization_requests boolean not null default false;
