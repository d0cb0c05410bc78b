-- Domain names at their registry (issue 10, seed 002): each domain service has its own
-- registrant, admin and tech contact, apart from the customer card. `contact_json` is a
-- domain::registry::RegistryContact; `role` its ContactRole name.
CREATE TABLE domain_contacts (
    subscription_id BIGINT NOT NULL REFERENCES subscriptions (id),
    role TEXT NOT NULL,
    contact_json TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (subscription_id, role)
);

-- A customer's request to change one contact, carried out by staff at the registry and then
-- recorded (done) or refused with a reason (rejected).
CREATE TABLE domain_contact_requests (
    id {{id}},
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    subscription_id BIGINT NOT NULL REFERENCES subscriptions (id),
    role TEXT NOT NULL,
    proposed_json TEXT NOT NULL,
    -- pending | done | rejected
    state TEXT NOT NULL,
    reason TEXT,
    requested_by BIGINT NOT NULL REFERENCES users (id),
    decided_by BIGINT REFERENCES users (id),
    decided_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX domain_contact_requests_state ON domain_contact_requests (state, created_at);
CREATE INDEX domain_contact_requests_subscription ON domain_contact_requests (subscription_id, id);
