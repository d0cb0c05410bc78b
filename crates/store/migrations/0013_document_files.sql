-- Documents as rendered (issue 11): an issued document's PDF, UBL and FatturaPA, each written
-- once, kept with its SHA-256 and served as stored ever after. In the database, so every node
-- sharing it serves the same bytes.
CREATE TABLE document_files (
    invoice_id BIGINT NOT NULL REFERENCES invoices (id),
    -- pdf | ubl | fatturapa
    format TEXT NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size BIGINT NOT NULL,
--@ sqlite
    content BLOB NOT NULL,
--@ postgres
    content BYTEA NOT NULL,
--@ end
    created_at BIGINT NOT NULL,
    PRIMARY KEY (invoice_id, format)
);
