-- Automatic payment through the payment provider (issue 12): a card known to the provider as a
-- customer, and the mandate its first payment gave, with which later invoices are collected.
CREATE TABLE online_customers (
    id {{id}},
    customer_id BIGINT NOT NULL UNIQUE REFERENCES customers (id),
    -- mollie
    provider TEXT NOT NULL,
    -- the provider's customer (cst_…)
    provider_customer_id TEXT NOT NULL UNIQUE,
    -- the mandate in use (mdt_…), once a first payment gave one
    mandate_id TEXT,
    -- valid | revoked
    mandate_state TEXT,
    -- directdebit | creditcard | paypal
    method TEXT,
    -- the account or card it collects from, as the provider shows it
    consumer_account TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX online_customers_mandate ON online_customers (mandate_state, customer_id);

-- Which online payments are first payments (they give a mandate) or collected with one.
ALTER TABLE online_payments ADD COLUMN sequence TEXT NOT NULL DEFAULT 'oneoff';
