-- E-invoices delivered (issue 11). A card may ask for the UBL (Peppol BIS 3) with every
-- invoice e-mail, beside the PDF.
ALTER TABLE customers ADD COLUMN wants_ubl_attachment BIGINT NOT NULL DEFAULT 0;

-- The outbound e-invoice queue: each issued document that goes out through a channel (the SDI
-- for FatturaPA, a Peppol access point for UBL) once, with its state. A transmitter (an
-- intermediary's drop folder today) is plugged in per channel; the row is its idempotency key.
CREATE TABLE document_transmissions (
    id {{id}},
    invoice_id BIGINT NOT NULL REFERENCES invoices (id),
    -- sdi | peppol
    channel TEXT NOT NULL,
    -- queued | sent | failed
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    -- the transmitter's receipt when sent (where the file went), the last error otherwise
    detail TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (invoice_id, channel)
);
CREATE INDEX document_transmissions_state ON document_transmissions (state, id);

-- How far each channel has looked through the issued documents (the last invoice id seen), so
-- finding new documents to send reads only what came after.
CREATE TABLE transmission_cursors (
    channel TEXT PRIMARY KEY,
    last_invoice_id BIGINT NOT NULL
);
