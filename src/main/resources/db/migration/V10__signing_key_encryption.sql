-- Private signing keys are stored encrypted (docs/security.md K1-K4). key_encryption names how: 'A256GCM:' and the
-- id of the key-encryption key, derived from it (K3). Null means a plain base64 PKCS#8 key, as every row was before
-- this migration and as an instance of an earlier version still writes during a rolling upgrade; the next start or
-- rotation check of an instance with a key-encryption key encrypts it (K4). No other value can be stored.
alter table signing_keys add column key_encryption varchar(64)
    constraint signing_keys_key_encryption check (key_encryption ~ '^A256GCM:[0-9a-f]{16}$');
