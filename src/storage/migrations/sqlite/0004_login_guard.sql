-- Log-in protection (issue 23). Per account: wrong passwords in a row and the time until which
-- the account refuses every password, kept in the store so that every server behind a proxy
-- sees the same lock. Per session: when it was last used, for the idle expiry.
ALTER TABLE app_user ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE app_user ADD COLUMN locked_until INTEGER NOT NULL DEFAULT 0;
ALTER TABLE session ADD COLUMN last_seen INTEGER NOT NULL DEFAULT 0;
