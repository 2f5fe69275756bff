-- Throttles that a stranger cannot turn against a user, and a sign-up limit.

-- Failed passwords are counted per account and client address (an IPv4 address or an IPv6 /64), so a guesser slows
-- only its own attempts; the account-wide count is the sum over addresses.
alter table account_failures add column address varchar(64) not null default '-';
alter table account_failures alter column address drop default;

-- Addresses each account signed in from lately: exempt from the account-wide limit, so that guessing spread over
-- many addresses does not lock the owner out.
create table known_addresses (
    account    varchar(254) not null,
    address    varchar(64)  not null,
    expires_at timestamptz  not null,
    primary key (account, address)
);
create index known_addresses_expires_idx on known_addresses (expires_at);

-- Sign-up requests and accounts created per client address in a fixed window, counted before any password is hashed.
create table sign_up_counts (
    address    varchar(64) primary key,
    window_end timestamptz not null,
    attempts   integer     not null,
    sign_ups   integer     not null
);
create index sign_up_counts_window_end_idx on sign_up_counts (window_end);
