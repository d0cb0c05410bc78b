-- Customers, users and access (issue 3). Flags are INTEGER 0/1: sqlx Any cannot read SQLite BOOLEAN.

-- A customer card: a business or a private person (consumer). Its tax identity (VAT number,
-- chamber-of-commerce number, tax code) never changes; a new card replaces it (replaced_by).
CREATE TABLE customers (
    id {{id}},
    number TEXT NOT NULL UNIQUE,
    -- business | consumer
    kind TEXT NOT NULL,
    legal_name TEXT NOT NULL,
    trading_name TEXT,
    street TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    city TEXT NOT NULL,
    country TEXT NOT NULL,
    email TEXT NOT NULL,
    invoice_email TEXT NOT NULL,
    phone TEXT,
    language TEXT NOT NULL,
    vat_number TEXT,
    coc_number TEXT,
    -- codice fiscale (IT), NIF/NIE/CIF (ES)
    tax_code TEXT,
    -- e.g. standard, gold: entitlements such as helpdesk access follow from it
    tier TEXT NOT NULL,
    -- invoice | direct_debit | online
    payment_method TEXT NOT NULL,
    iban TEXT,
    wants_invoice_reminder INTEGER NOT NULL,
    requires_second_factor INTEGER NOT NULL,
    replaced_by BIGINT REFERENCES customers (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX customers_legal_name ON customers (legal_name);

-- One login: an e-mail address and a password, for every Loket service.
CREATE TABLE users (
    id {{id}},
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT,
    language TEXT NOT NULL,
    -- NULL for customers' users; admin | billing | support | sales for the provider's staff
    staff_role TEXT,
    totp_secret TEXT,
    totp_enabled INTEGER NOT NULL,
    -- the last time step whose code was used: a code works once
    totp_last_step BIGINT,
    -- JSON list of SHA-256 hashes of unused recovery codes
    recovery_codes TEXT,
    disabled INTEGER NOT NULL,
    password_changed_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- A user's place on a customer card: a role and the permissions the owner allows.
CREATE TABLE memberships (
    user_id BIGINT NOT NULL REFERENCES users (id),
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    -- owner | billing | technical | contact
    role TEXT NOT NULL,
    -- comma-separated permission names
    permissions TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, customer_id)
);
CREATE INDEX memberships_customer ON memberships (customer_id);

-- Signed-in sessions; the cookie holds a random id, the table only its SHA-256.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    second_factor_done INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    ip TEXT,
    user_agent TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Failed sign-ins, per account (key 'account:<email>') and per address (key 'ip:<addr>').
CREATE TABLE login_failures (
    id {{id}},
    key TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, at);

-- Password-reset links: single use, expiring, stored as SHA-256 of the token.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);

-- Personal API tokens: scoped, revocable, stored as SHA-256.
CREATE TABLE api_tokens (
    id {{id}},
    user_id BIGINT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    scopes TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);

-- A change to reviewed fields of a customer card, waiting for staff.
CREATE TABLE change_requests (
    id {{id}},
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    requested_by BIGINT NOT NULL REFERENCES users (id),
    -- JSON: the fields and their proposed values; and the values when requested
    proposed_json TEXT NOT NULL,
    current_json TEXT NOT NULL,
    -- pending | approved | rejected
    state TEXT NOT NULL,
    reason TEXT,
    decided_by BIGINT REFERENCES users (id),
    decided_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX change_requests_state ON change_requests (state, created_at);
CREATE INDEX change_requests_customer ON change_requests (customer_id, id);

-- Invitations from an owner to join a customer card.
CREATE TABLE invitations (
    token_hash TEXT PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    permissions TEXT NOT NULL,
    invited_by BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    accepted_at BIGINT
);
