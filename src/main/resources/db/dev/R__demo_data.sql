-- Demo data for the dev profile only (loaded through %dev.quarkus.flyway.locations), so that the API guide's
-- commands work verbatim against localhost. The password is mYsEcReT (Argon2id); the client secret is stored as
-- its SHA-256 like every other.
insert into users (email, password_hash)
values ('john@example.com', '$argon2id$v=19$m=7168,t=5,p=1$KBUK1vzyGUtuYoeVZxmE4g$GltIwTd9PxnS1R6ndeYAkYmk9wPHlfyM5Z4LjMLxaPc')
on conflict (email) do nothing;

insert into oauth_applications (owner_id, name, client_id, secret_hash, scopes, confidential)
select id, 'Storeman API guide', 'Awbnm2osV49A_Ci1Rp14xz61vHyiuO6ub9nSwXS9pw3',
       '4f36647b2bb39eb936f034d046a121bfe251c15a81a6a326226a6917bb49ddfa',
       'public read_items write_items read_spaces write_spaces', true
from users where email = 'john@example.com'
on conflict (client_id) do nothing;
