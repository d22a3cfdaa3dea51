-- Gap repair: the clinic asks a device to resend a hole's seqs (command resend) while the hole is open.
ALTER TABLE gaps ADD COLUMN resend_at timestamptz;                      -- last resend request for this hole
ALTER TABLE gaps ADD COLUMN resend_requests integer NOT NULL DEFAULT 0; -- resend requests made for it
ALTER TABLE devices ADD COLUMN resend_requests bigint NOT NULL DEFAULT 0;  -- resend requests made for the device
ALTER TABLE devices ADD COLUMN journal_last_seq bigint NOT NULL DEFAULT 0; -- newest journal.lastSeq from its birth
