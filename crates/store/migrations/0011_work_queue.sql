-- The back office's work queue (issue 10) on a large database: overdue invoices are counted and
-- listed oldest first from one index range (open invoices are many, overdue ones few), and the
-- renewal offers awaiting customers are counted by state without reading every subscription.
CREATE INDEX invoices_overdue ON invoices (state, kind, due_date, id);
CREATE INDEX subscriptions_state ON subscriptions (state);
