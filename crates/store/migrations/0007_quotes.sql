-- Quotes (issue 10): what the provider offers a customer, valid until a date, accepted or
-- rejected online. Each line is a service on a plan (its price per billing period frozen when
-- the quote was made) or one-off work; accepting one records the subscription or the billable
-- line it became.
CREATE TABLE quotes (
    id {{id}},
    number TEXT NOT NULL UNIQUE,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    -- domain::quote::QuoteStatus as stored: sent, accepted, rejected, withdrawn
    status TEXT NOT NULL,
    issue_date TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    currency TEXT NOT NULL,
    note TEXT,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    decided_on TEXT,
    decided_by TEXT,
    decision_comment TEXT
);
CREATE INDEX quotes_customer ON quotes (customer_id, id);

CREATE TABLE quote_lines (
    quote_id BIGINT NOT NULL REFERENCES quotes (id),
    position INTEGER NOT NULL,
    plan_id BIGINT REFERENCES plans (id),
    label TEXT,
    description TEXT NOT NULL,
    -- thousandths: 1500 is 1.5
    quantity_milli BIGINT NOT NULL,
    -- net, minor units: for a plan its price per billing period
    unit_price BIGINT NOT NULL,
    -- a plan's price as offered when it replaces the plan's own
    price_override BIGINT,
    setup_fee BIGINT NOT NULL,
    -- month, quarter, year … for a plan
    billing_period TEXT,
    vat_category TEXT NOT NULL,
    subscription_id BIGINT REFERENCES subscriptions (id),
    item_id BIGINT REFERENCES billable_items (id),
    PRIMARY KEY (quote_id, position)
);
