-- SEPA direct debit: the mandates customers give (in the panel) or staff record
-- (a signed paper form), the files of collections handed to the bank, and each collection:
-- which invoice, under which mandate, as FRST or RCUR, and whether the bank credited it or
-- it came back.
CREATE TABLE sepa_mandates (
    id {{id}},
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    -- the mandate's reference (MndtId), unique for the provider
    reference TEXT NOT NULL UNIQUE,
    debtor_name TEXT NOT NULL,
    iban TEXT NOT NULL,
    bic TEXT,
    signed_on TEXT NOT NULL,
    -- active | revoked | expired
    state TEXT NOT NULL,
    -- an amendment not yet told to the bank: the reference and account of the last collection
    original_reference TEXT,
    original_iban TEXT,
    -- the collection date of the last file that collected on it
    last_collected_on TEXT,
    -- customer (a user of the card, in the panel) | staff (a paper mandate)
    given_by TEXT NOT NULL,
    -- the user's id
    given_by_user BIGINT,
    -- the wording the debtor agreed to: its version, language and text as shown
    wording_version TEXT NOT NULL,
    wording_language TEXT NOT NULL,
    wording TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    revoked_at BIGINT
);
-- At most one active mandate per customer; a customer's mandates.
CREATE UNIQUE INDEX sepa_mandates_active ON sepa_mandates (customer_id) WHERE state = 'active';
CREATE INDEX sepa_mandates_customer ON sepa_mandates (customer_id, id);
-- The staff list (newest first) and the daily expiry check (active ones).
CREATE INDEX sepa_mandates_state ON sepa_mandates (state, id);

CREATE TABLE direct_debit_batches (
    id {{id}},
    message_id TEXT NOT NULL UNIQUE,
    collection_date TEXT NOT NULL,
    -- pain.008.001.02 | pain.008.001.08
    pain_version TEXT NOT NULL,
    collections BIGINT NOT NULL,
    -- minor units (euro cents)
    total BIGINT NOT NULL,
    file_name TEXT NOT NULL,
    -- the file as handed to the bank, byte for byte
    content TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX direct_debit_batches_created ON direct_debit_batches (created_at, id);

CREATE TABLE direct_debits (
    id {{id}},
    batch_id BIGINT NOT NULL REFERENCES direct_debit_batches (id),
    invoice_id BIGINT NOT NULL REFERENCES invoices (id),
    mandate_id BIGINT NOT NULL REFERENCES sepa_mandates (id),
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    amount BIGINT NOT NULL,
    -- FRST | RCUR
    sequence TEXT NOT NULL,
    -- the PmtInf it is in (message id and sequence)
    payment_info_id TEXT NOT NULL,
    end_to_end_id TEXT NOT NULL UNIQUE,
    -- the amendment told with it, if any
    original_reference TEXT,
    original_iban TEXT,
    -- collected (asked of the bank; payment_id once the bank's credit is booked) | returned
    state TEXT NOT NULL,
    return_reason TEXT,
    returned_on TEXT,
    payment_id BIGINT REFERENCES payments (id),
    -- the negative payment that reopened the invoice
    return_payment_id BIGINT REFERENCES payments (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- Whether an invoice is in a file already (unless returned); a mandate used before.
CREATE INDEX direct_debits_invoice ON direct_debits (invoice_id, state);
CREATE INDEX direct_debits_mandate ON direct_debits (mandate_id, state);
-- A customer's collections (the panel, staff's customer page).
CREATE INDEX direct_debits_customer ON direct_debits (customer_id, id);
-- A bank credit for a payment or a whole file; the collections of a file.
CREATE INDEX direct_debits_payment_info ON direct_debits (payment_info_id);
CREATE INDEX direct_debits_batch ON direct_debits (batch_id, id);
-- The returns staff see, newest first.
CREATE INDEX direct_debits_state ON direct_debits (state, updated_at);
