-- Money and scale (issue 8): what was invoiced ahead is settled exactly when a contract ends
-- early or changes price; suspension is a fact beside a subscription's phase; reactivation fees
-- belong to one suspension each; lists and searches served by indexes.

-- Every line of a period keeps the rate it was priced at: the whole billing period it is part
-- of and its price (rate_months 0: priced by days). A credit-note line names the line of the
-- invoice it corrects (credits_position), so credits on a line add up.
ALTER TABLE invoice_lines ADD COLUMN rate_from TEXT;
ALTER TABLE invoice_lines ADD COLUMN rate_to TEXT;
ALTER TABLE invoice_lines ADD COLUMN rate_months INTEGER;
ALTER TABLE invoice_lines ADD COLUMN rate_price BIGINT;
ALTER TABLE invoice_lines ADD COLUMN credits_position INTEGER;
CREATE INDEX invoice_lines_subscription ON invoice_lines (subscription_id, invoice_id);

ALTER TABLE billable_items ADD COLUMN rate_from TEXT;
ALTER TABLE billable_items ADD COLUMN rate_to TEXT;
ALTER TABLE billable_items ADD COLUMN rate_months INTEGER;
ALTER TABLE billable_items ADD COLUMN rate_price BIGINT;
CREATE INDEX billable_items_subscription ON billable_items (subscription_id);

-- The state column holds the phase (domain::billing::lifecycle::Phase); suspension is the fact
-- `suspended_since`, so that paying never erases a cancellation.
ALTER TABLE subscriptions ADD COLUMN suspended_since TEXT;
-- The day of the last change of plan: a later change may not be dated before it.
ALTER TABLE subscriptions ADD COLUMN plan_changed_on TEXT;
UPDATE subscriptions SET suspended_since = COALESCE(
        (SELECT MAX(d.taken_on) FROM dunning_actions d JOIN invoices i ON i.id = d.invoice_id
         WHERE i.customer_id = subscriptions.customer_id AND d.step = 'suspend'),
        start_date),
    state = CASE
        WHEN cancel_received_on IS NOT NULL THEN 'cancellation_requested'
        WHEN renewal_offered_for IS NOT NULL THEN 'renewal_offered'
        ELSE 'active' END
    WHERE state = 'suspended';
DROP INDEX subscriptions_state;
-- Each billing run rewrites how far every billed subscription is invoiced; room on each page lets
-- PostgreSQL update those rows in place (HOT), without touching the indexes.
--@ postgres
ALTER TABLE subscriptions SET (fillfactor = 50);
--@ end

-- A suspension of a customer's services for unpaid invoices: one at a time per customer, and
-- at most one reactivation fee each. A suspension caused by an unpaid fee is lifted without a
-- new fee.
CREATE TABLE suspensions (
    id {{id}},
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    since TEXT NOT NULL,
    cause_invoice_id BIGINT NOT NULL REFERENCES invoices (id),
    lifted_on TEXT,
    fee_invoice_id BIGINT REFERENCES invoices (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX suspensions_customer ON suspensions (customer_id, id);
CREATE INDEX suspensions_fee ON suspensions (fee_invoice_id);

-- Lists newest first, per customer and for everyone, and the open documents per customer.
DROP INDEX invoices_customer;
CREATE INDEX invoices_customer ON invoices (customer_id, issue_date, id);
CREATE INDEX invoices_issued ON invoices (issue_date, id);
CREATE INDEX invoices_state_customer ON invoices (state, customer_id, due_date);
DROP INDEX invoices_open;

-- Words of customer cards (names, number, e-mail, city, VAT number), folded to lower case
-- without accents, for a prefix search served by the primary key. Prefix ranges compare bytes:
-- on PostgreSQL the words (and document numbers) use the "C" collation whatever the database's.
--@ sqlite
CREATE TABLE search_words (
    kind TEXT NOT NULL,
    word TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    PRIMARY KEY (kind, word, entity_id)
);
--@ end
--@ postgres
CREATE TABLE search_words (
    kind TEXT NOT NULL,
    word TEXT COLLATE "C" NOT NULL,
    entity_id BIGINT NOT NULL,
    PRIMARY KEY (kind, word, entity_id)
);
DROP TRIGGER invoices_frozen ON invoices;
ALTER TABLE invoices ALTER COLUMN number TYPE TEXT COLLATE "C";
CREATE TRIGGER invoices_frozen BEFORE UPDATE OF kind, series, year, seq, number, customer_id, issue_date, due_date, currency, net, vat, gross,
    vat_breakdown, customer_snapshot, provider_snapshot, payment_reference, credits_invoice_id ON invoices
FOR EACH ROW EXECUTE FUNCTION invoices_immutable();
--@ end
CREATE INDEX search_words_entity ON search_words (kind, entity_id, word);
