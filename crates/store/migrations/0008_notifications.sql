-- The panel's messages (issue 10): when the card's users read a notification, and which kinds
-- a card does not want by e-mail (kinds that carry an obligation are always mailed).
ALTER TABLE notifications ADD COLUMN read_at BIGINT;
CREATE INDEX notifications_unread ON notifications (customer_id, id) WHERE read_at IS NULL;
CREATE TABLE notification_preferences (
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    -- domain::billing::notice::NoticeKind::name
    kind TEXT NOT NULL,
    mail INTEGER NOT NULL,
    PRIMARY KEY (customer_id, kind)
);
