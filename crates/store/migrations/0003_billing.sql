-- The billing engine (issue 4): catalog, subscriptions, invoices, payments, dunning.
-- Money BIGINT minor units; dates ISO TEXT; flags INTEGER 0/1.

-- Provider-wide billing settings (series, dunning, fees): one row, the written form as JSON.
CREATE TABLE billing_settings (
    id INTEGER PRIMARY KEY,
    spec TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Named contract terms; `spec` is the written form (domain::billing::catalog::TermsSpec).
CREATE TABLE terms (
    id {{id}},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    spec TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE products (
    id {{id}},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    vat_category TEXT NOT NULL,
    requires_prepayment INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- A product sold on named terms; `prices` is JSON {"<period>": minor units}, e.g. {"quarter": 2700}.
CREATE TABLE plans (
    id {{id}},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    product_id BIGINT NOT NULL REFERENCES products (id),
    terms_id BIGINT NOT NULL REFERENCES terms (id),
    currency TEXT NOT NULL,
    prices TEXT NOT NULL,
    setup_fee BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- A customer's service on a plan. `invoiced_until` (exclusive) is how far it has been billed:
-- the billing run advances it in the same transaction as the invoice, so a date is never
-- billed twice. `renewed_until`: for opt-in renewal, the end of the last confirmed term.
CREATE TABLE subscriptions (
    id {{id}},
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    -- overrides the plan's terms
    terms_id BIGINT REFERENCES terms (id),
    -- what it is for: a domain name, a site
    label TEXT NOT NULL,
    -- overrides the plan's price per billing period (net, minor units)
    price BIGINT,
    -- domain::billing::lifecycle::SubscriptionState, snake_case
    state TEXT NOT NULL,
    start_date TEXT NOT NULL,
    ordered_on TEXT NOT NULL,
    invoiced_until TEXT,
    renewed_until TEXT,
    ends_on TEXT,
    setup_invoiced INTEGER NOT NULL,
    cancel_received_on TEXT,
    cancel_channel TEXT,
    renewal_offered_for TEXT,
    renewal_token_hash TEXT,
    parent_id BIGINT REFERENCES subscriptions (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX subscriptions_customer ON subscriptions (customer_id, id);
CREATE INDEX subscriptions_state ON subscriptions (state);

-- Document numbers: the last one used per series and year. Taken inside the issuing
-- transaction, so a rolled-back issue leaves no gap.
CREATE TABLE document_numbers (
    series TEXT NOT NULL,
    year INTEGER NOT NULL,
    last_seq BIGINT NOT NULL,
    PRIMARY KEY (series, year)
);

-- Invoices, credit notes and pro formas (kind). Amounts are positive for every kind. The
-- customer and provider are frozen at issue (JSON snapshots); the content never changes,
-- only what was paid or credited and the state.
CREATE TABLE invoices (
    id {{id}},
    -- invoice | credit_note | pro_forma
    kind TEXT NOT NULL,
    series TEXT NOT NULL,
    year INTEGER NOT NULL,
    seq BIGINT NOT NULL,
    number TEXT NOT NULL UNIQUE,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    issue_date TEXT NOT NULL,
    due_date TEXT NOT NULL,
    currency TEXT NOT NULL,
    net BIGINT NOT NULL,
    vat BIGINT NOT NULL,
    gross BIGINT NOT NULL,
    -- JSON [{code, rate, taxable, vat}]
    vat_breakdown TEXT NOT NULL,
    customer_snapshot TEXT NOT NULL,
    provider_snapshot TEXT NOT NULL,
    language TEXT NOT NULL,
    payment_reference TEXT NOT NULL,
    -- a credit note: the invoice it corrects
    credits_invoice_id BIGINT REFERENCES invoices (id),
    -- an invoice made from a paid pro forma
    pro_forma_id BIGINT REFERENCES invoices (id),
    -- open | paid | converted (a pro forma turned into an invoice) | settled (a credit note)
    state TEXT NOT NULL,
    paid BIGINT NOT NULL,
    credited BIGINT NOT NULL,
    paid_on TEXT,
    created_at BIGINT NOT NULL,
    UNIQUE (series, year, seq)
);
CREATE INDEX invoices_customer ON invoices (customer_id, issue_date);
CREATE INDEX invoices_open ON invoices (state, due_date);

CREATE TABLE invoice_lines (
    invoice_id BIGINT NOT NULL REFERENCES invoices (id),
    position INTEGER NOT NULL,
    description TEXT NOT NULL,
    period_from TEXT,
    period_to TEXT,
    quantity_milli BIGINT NOT NULL,
    unit_price BIGINT NOT NULL,
    net BIGINT NOT NULL,
    -- EN 16931 VAT category code (S, Z, E, AE, O) and rate in basis points
    vat_code TEXT NOT NULL,
    vat_rate INTEGER NOT NULL,
    subscription_id BIGINT,
    item_id BIGINT,
    PRIMARY KEY (invoice_id, position)
);

-- An issued document's content cannot change and nothing issued can be deleted.
--@ sqlite
CREATE TRIGGER invoices_frozen BEFORE UPDATE OF kind, series, year, seq, number, customer_id, issue_date, due_date, currency, net, vat, gross,
    vat_breakdown, customer_snapshot, provider_snapshot, payment_reference, credits_invoice_id ON invoices
BEGIN SELECT RAISE(ABORT, 'an issued invoice cannot be changed: issue a credit note'); END;
CREATE TRIGGER invoices_kept BEFORE DELETE ON invoices
BEGIN SELECT RAISE(ABORT, 'an issued invoice cannot be deleted'); END;
CREATE TRIGGER invoice_lines_frozen BEFORE UPDATE ON invoice_lines
BEGIN SELECT RAISE(ABORT, 'an issued invoice cannot be changed: issue a credit note'); END;
CREATE TRIGGER invoice_lines_kept BEFORE DELETE ON invoice_lines
BEGIN SELECT RAISE(ABORT, 'an issued invoice cannot be deleted'); END;
--@ end
--@ postgres
CREATE FUNCTION invoices_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'an issued invoice cannot be changed or deleted: issue a credit note'; END;
$$;
CREATE TRIGGER invoices_frozen BEFORE UPDATE OF kind, series, year, seq, number, customer_id, issue_date, due_date, currency, net, vat, gross,
    vat_breakdown, customer_snapshot, provider_snapshot, payment_reference, credits_invoice_id ON invoices
FOR EACH ROW EXECUTE FUNCTION invoices_immutable();
CREATE TRIGGER invoices_kept BEFORE DELETE ON invoices FOR EACH ROW EXECUTE FUNCTION invoices_immutable();
CREATE TRIGGER invoice_lines_frozen BEFORE UPDATE OR DELETE ON invoice_lines FOR EACH ROW EXECUTE FUNCTION invoices_immutable();
--@ end

-- One-off billable lines (extra work, fees, settled changes): on the customer's next invoice.
CREATE TABLE billable_items (
    id {{id}},
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    subscription_id BIGINT REFERENCES subscriptions (id),
    description TEXT NOT NULL,
    quantity_milli BIGINT NOT NULL,
    unit_price BIGINT NOT NULL,
    currency TEXT NOT NULL,
    vat_category TEXT NOT NULL,
    period_from TEXT,
    period_to TEXT,
    -- manual | change | reactivation_fee | helpdesk | setup
    source TEXT NOT NULL,
    created_on TEXT NOT NULL,
    invoice_id BIGINT REFERENCES invoices (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX billable_items_open ON billable_items (customer_id) WHERE invoice_id IS NULL;

-- Web-design projects (Gestione Internet): a deposit at signing, the balance at delivery or
-- `project_balance_days` after signing, whichever is first.
CREATE TABLE projects (
    id {{id}},
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    description TEXT NOT NULL,
    total BIGINT NOT NULL,
    currency TEXT NOT NULL,
    deposit_percent INTEGER NOT NULL,
    vat_category TEXT NOT NULL,
    signed_on TEXT NOT NULL,
    delivered_on TEXT,
    deposit_invoice_id BIGINT REFERENCES invoices (id),
    balance_invoice_id BIGINT REFERENCES invoices (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX projects_customer ON projects (customer_id);

-- Money received (amount > 0) or paid back (a refund, amount < 0).
CREATE TABLE payments (
    id {{id}},
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    invoice_id BIGINT REFERENCES invoices (id),
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    -- bank_transfer | direct_debit | online | credit | refund
    method TEXT NOT NULL,
    received_on TEXT NOT NULL,
    reference TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX payments_customer ON payments (customer_id, id);

-- A customer's credit balance is the sum of this ledger: overpayments and credit notes add,
-- invoices paid from it and refunds subtract.
CREATE TABLE credit_ledger (
    id {{id}},
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    reason TEXT NOT NULL,
    invoice_id BIGINT REFERENCES invoices (id),
    payment_id BIGINT REFERENCES payments (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX credit_ledger_customer ON credit_ledger (customer_id);

-- Dunning steps taken per invoice: each once.
CREATE TABLE dunning_actions (
    invoice_id BIGINT NOT NULL REFERENCES invoices (id),
    -- reminder:0, reminder:1, suspend, terminate
    step TEXT NOT NULL,
    taken_on TEXT NOT NULL,
    PRIMARY KEY (invoice_id, step)
);

-- What a customer is told (invoice issued, payment received, reminder, …): shown in the panel,
-- and mailed by the `billing.notify` job, which composes the message in the customer's language
-- and sets `outbox_id` in one transaction, so each is mailed once.
CREATE TABLE notifications (
    id {{id}},
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    -- invoice_issued | payment_received | reminder | suspended | reactivated | cancellation_confirmed
    -- | renewal_offer | renewed | lapsed | upcoming_invoice
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    outbox_id BIGINT
);
CREATE INDEX notifications_customer ON notifications (customer_id, id);
CREATE INDEX notifications_unsent ON notifications (id) WHERE outbox_id IS NULL;
