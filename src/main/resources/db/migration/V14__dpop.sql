-- DPoP (RFC 9449, docs/security.md B3, B5).
-- Every proof accepted within its window, by a hash of its key's thumbprint and its jti: an insert that conflicts is
-- a replay, on whichever instance the proof was first seen. Unlogged: after a crash the table is empty, and a proof
-- older than the window (60 s by default) is refused by its iat anyway; Housekeeping deletes expired rows.
create unlogged table dpop_proofs (
    proof_hash text primary key,
    expires_at timestamptz not null
);
create index dpop_proofs_expires_at on dpop_proofs (expires_at);

-- The thumbprint (RFC 7638, 43 base64url characters) of the key a public client's refresh token is bound to; null
-- when unbound. A varchar, not text: dev mode's Hibernate Reactive schema check cannot read a text column's type.
alter table refresh_tokens add column dpop_jkt varchar(64);
