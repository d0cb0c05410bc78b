-- Lost access (issue 10, seed 002): a person without access to their account sends a signed
-- form and a scan of an identity document. The files live outside the database under random
-- names (`*_file`); they are deleted after the configured retention (`files_deleted_at`).
CREATE TABLE access_requests (
    id {{id}},
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    customer_number TEXT,
    message TEXT,
    form_file TEXT,
    form_type TEXT NOT NULL,
    id_file TEXT,
    id_type TEXT NOT NULL,
    -- pending | restored | rejected
    state TEXT NOT NULL,
    customer_id BIGINT REFERENCES customers (id),
    reason TEXT,
    decided_by BIGINT REFERENCES users (id),
    decided_at BIGINT,
    created_at BIGINT NOT NULL,
    files_deleted_at BIGINT
);
CREATE INDEX access_requests_state ON access_requests (state, created_at);
CREATE INDEX access_requests_email ON access_requests (email, created_at);
CREATE INDEX access_requests_files ON access_requests (created_at) WHERE files_deleted_at IS NULL;
