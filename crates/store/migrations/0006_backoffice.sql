-- The back office (issue 10): staff find a service by its domain or name (a prefix of the
-- subscription's label), and the work queue counts subscriptions by state.
CREATE INDEX subscriptions_label ON subscriptions (label);
