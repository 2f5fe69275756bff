-- The revocation list keeps one entry per token family, per user, per client or per user and client, never one per
-- access token: a refresh rotation updates its family's entry instead of adding one, so the list (and every
-- instance's copy of it) is bounded by the families and accounts active within an access token's lifetime, however
-- fast anyone refreshes (docs/security.md R1).
--
-- bound means, by kind:
--   family  tokens of family `value` whose generation is below bound are revoked (2147483647: the whole family)
--   user    tokens of user `value` issued (iat, epoch seconds) before bound are revoked
--   client  tokens of client `value` issued before bound are revoked
--   grant   tokens of user and client `value` ("<subject> <client_id>") issued before bound are revoked
--   all     every token issued before bound is revoked (this migration's: tokens of earlier versions carry no
--           family, and their one-by-one entries are gone)
-- An entry lives until the last token it can refuse has expired, clock skew included.

alter table refresh_tokens add column generation integer not null default 0;

delete from revocations;
alter table revocations drop constraint revocations_kind_check;
alter table revocations alter column kind type varchar(8);
alter table revocations alter column value type varchar(200);
alter table revocations add column bound bigint not null default 0;
alter table revocations alter column bound drop default;
alter table revocations add constraint revocations_kind_check
    check (kind in ('family', 'user', 'client', 'grant', 'all'));

insert into revocations (kind, value, bound, expires_at)
values ('all', '*', floor(extract(epoch from now()))::bigint, now() + interval '1 day');

-- What one user may do within a fixed window, where each use makes every instance keep state (docs/security.md R2):
-- new grants (each token family can put one entry on the revocation list) and new applications (a deleted one puts
-- its client on the list).
create table user_quotas (
    user_id      bigint      not null references users (id) on delete cascade,
    kind         varchar(16) not null check (kind in ('grant', 'application')),
    window_start timestamptz not null,
    used         integer     not null,
    primary key (user_id, kind)
);
