-- An order placed in the panel carries the key of the review page it was confirmed on, so that
-- the same confirmation sent twice (a double click, a reload, a second tab) places one order.
CREATE TABLE order_keys (
    order_key TEXT PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    -- Set once the order is placed, in the same transaction.
    subscription_id BIGINT REFERENCES subscriptions (id),
    created_at BIGINT NOT NULL
);
