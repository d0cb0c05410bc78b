-- Online payments (issue 12): a checkout at the payment provider (Mollie) for what is open on
-- an invoice, booked as a Loket payment only after the provider's API says it is paid; its
-- refunds sent from Loket and its chargebacks, each booked once.
CREATE TABLE online_payments (
    id {{id}},
    invoice_id BIGINT NOT NULL REFERENCES invoices (id),
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    -- mollie
    provider TEXT NOT NULL,
    -- sent as the provider's Idempotency-Key: a retried creation makes no second payment
    idempotency_key TEXT NOT NULL UNIQUE,
    -- the provider's id (tr_…), once created
    provider_payment_id TEXT UNIQUE,
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    -- creating | open | pending | authorized | paid | canceled | expired | failed | unavailable
    status TEXT NOT NULL,
    method TEXT,
    checkout_url TEXT,
    -- the Loket payment booked when the provider said paid
    payment_id BIGINT REFERENCES payments (id),
    refunded BIGINT NOT NULL,
    charged_back BIGINT NOT NULL,
    -- set by a webhook, cleared once the payment was fetched from the provider after it
    refresh_requested_at BIGINT,
    -- who started it (a user's id, or staff)
    started_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX online_payments_invoice ON online_payments (invoice_id, id);
CREATE INDEX online_payments_refresh ON online_payments (refresh_requested_at);

-- Money sent back through the provider, and money the payer's bank took back.
CREATE TABLE online_payment_events (
    id {{id}},
    online_payment_id BIGINT NOT NULL REFERENCES online_payments (id),
    -- refund | chargeback
    kind TEXT NOT NULL,
    -- the provider's id (re_… / chb_…); a refund has it once the provider took it
    provider_id TEXT UNIQUE,
    -- a refund's Idempotency-Key
    idempotency_key TEXT UNIQUE,
    amount BIGINT NOT NULL,
    -- refund: creating | queued | pending | processing | refunded | failed | canceled; chargeback: received
    status TEXT NOT NULL,
    reason TEXT,
    -- the Loket payment (negative) booked for it, once
    payment_id BIGINT REFERENCES payments (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX online_payment_events_payment ON online_payment_events (online_payment_id, id);
