-- A card's own hourly rate for support, standby and call-outs (issue 13: the billing file's
-- hourly_rate, "and may be overridden per card"). NULL: the standard rate.
ALTER TABLE customers ADD COLUMN hourly_rate BIGINT;
