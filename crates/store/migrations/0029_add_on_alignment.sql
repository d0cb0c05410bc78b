-- An add-on (an extra mailbox on a hosting package) names the service it is part of in
-- `parent_id` and is billed with it: its billing periods follow that service's, which began on
-- `aligned_to`, kept here as it was when the add-on was made (a service's start never changes),
-- so that planning a card's invoices needs no second look-up.
ALTER TABLE subscriptions ADD COLUMN aligned_to TEXT;
-- A service's add-ons, found when it ends (they end with it); most services have none.
CREATE INDEX subscriptions_parent ON subscriptions (parent_id) WHERE parent_id IS NOT NULL;
