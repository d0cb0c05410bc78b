-- Bank statements imported (issue 12): each statement once per account and bank id, each of
-- its entries once (entry_key, the same entry in an overlapping statement included), what
-- became of every credit: booked on an invoice or a customer, or waiting for staff.
CREATE TABLE bank_statements (
    id {{id}},
    -- the account the statement is of (IBAN)
    account TEXT NOT NULL,
    -- the bank's identification of the statement
    statement_ref TEXT NOT NULL,
    -- camt053 | mt940
    format TEXT NOT NULL,
    file_name TEXT,
    sha256 TEXT NOT NULL,
    entries BIGINT NOT NULL,
    booked BIGINT NOT NULL,
    unmatched BIGINT NOT NULL,
    -- entries seen in an earlier statement, debits and entries not booked by the bank
    skipped BIGINT NOT NULL,
    imported_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX bank_statements_created ON bank_statements (created_at, id);

CREATE TABLE bank_entries (
    id {{id}},
    statement_id BIGINT NOT NULL REFERENCES bank_statements (id),
    entry_key TEXT NOT NULL UNIQUE,
    booking_date TEXT NOT NULL,
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    counterparty_name TEXT,
    counterparty_iban TEXT,
    reference TEXT,
    remittance TEXT NOT NULL,
    -- booked | unmatched | dismissed
    state TEXT NOT NULL,
    -- reference | number | amount_and_account | staff
    matched_by TEXT,
    invoice_id BIGINT REFERENCES invoices (id),
    customer_id BIGINT REFERENCES customers (id),
    payment_id BIGINT REFERENCES payments (id),
    -- invoice ids staff are offered, comma-separated
    suggestions TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX bank_entries_state ON bank_entries (state, id);
CREATE INDEX bank_entries_statement ON bank_entries (statement_id, id);

-- A payment found by the reference it was made with (a credit naming an invoice paid before).
CREATE INDEX invoices_payment_reference ON invoices (payment_reference);
