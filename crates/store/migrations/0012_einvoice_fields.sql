-- Italian e-invoices (FatturaPA) on the customer card: the SDI recipient code (Codice
-- Destinatario: 7 characters, 6 for a public administration office) and the certified e-mail
-- address (PEC) they are delivered to. Both optional; the documents freeze them when issued.
ALTER TABLE customers ADD COLUMN sdi_code TEXT;
ALTER TABLE customers ADD COLUMN pec TEXT;
