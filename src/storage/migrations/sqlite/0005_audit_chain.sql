-- The audit chain (issue 23). Every audit entry gets a place in one chain (`seq`, from 1) and a
-- MAC over its fields and the previous entry's MAC, keyed from the store's master key, so that a
-- changed, removed or reordered entry is found by `jobaid audit verify`. Entries are written
-- first without a place (by the transaction whose change they record) and chained by the one
-- sequencer, which holds `audit_head` locked while it extends the chain.
ALTER TABLE audit ADD COLUMN seq INTEGER;
ALTER TABLE audit ADD COLUMN mac BLOB;
CREATE UNIQUE INDEX audit_seq ON audit(seq);
CREATE INDEX audit_unchained ON audit(id) WHERE seq IS NULL;
CREATE INDEX audit_user ON audit(user_id, id);
CREATE INDEX audit_action ON audit(action, id);
CREATE TABLE audit_head (
  one  INTEGER PRIMARY KEY CHECK (one = 1),
  seq  INTEGER NOT NULL,
  mac  BLOB NOT NULL
);

-- Contact phones of employers and stations are personal data like the register's: sealed with
-- the store's key (the clear column is emptied by the server at its first start after this).
ALTER TABLE employer ADD COLUMN contact_phone_enc BLOB;
ALTER TABLE station ADD COLUMN contact_phone_enc BLOB;
