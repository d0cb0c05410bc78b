-- The helpdesk (issue 13): tickets with their thread, history, watchers, attachments and time;
-- the mail that came in (each Message-ID once); standby periods and their call-outs.

-- The last ticket number of each year: T-2027-00042.
CREATE TABLE ticket_numbers (
    year INTEGER PRIMARY KEY,
    last BIGINT NOT NULL
);

CREATE TABLE tickets (
    id {{id}},
    year INTEGER NOT NULL,
    number BIGINT NOT NULL,
    -- NULL: from an unknown sender, not yet hung under a card
    customer_id BIGINT REFERENCES customers (id),
    project_id BIGINT REFERENCES projects (id),
    subject TEXT NOT NULL,
    -- new | open | waiting | escalated | resolved | closed (domain::helpdesk::ticket::Status)
    status TEXT NOT NULL,
    -- low | normal | high | urgent
    priority TEXT NOT NULL,
    category TEXT NOT NULL,
    -- email | portal | phone | standby | api
    channel TEXT NOT NULL,
    requester_email TEXT NOT NULL,
    requester_name TEXT,
    requester_user_id BIGINT REFERENCES users (id),
    assignee_id BIGINT REFERENCES users (id),
    team TEXT,
    -- a call-out during this standby period
    standby_id BIGINT,
    merged_into BIGINT REFERENCES tickets (id),
    -- a paid intervention: the quote the customer accepts before work starts
    quote_id BIGINT REFERENCES quotes (id),
    -- 1 while the ticket needs work (not resolved or closed): the queues' partial indexes
    active INTEGER NOT NULL,
    last_activity_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (year, number)
);
CREATE INDEX tickets_queue ON tickets (last_activity_at, id) WHERE active = 1;
CREATE INDEX tickets_all ON tickets (last_activity_at, id);
-- the escalation sweep walks the active tickets by id
CREATE INDEX tickets_active_id ON tickets (id) WHERE active = 1;
CREATE INDEX tickets_customer ON tickets (customer_id, last_activity_at, id);
CREATE INDEX tickets_assignee ON tickets (assignee_id, last_activity_at, id) WHERE active = 1;
CREATE INDEX tickets_project ON tickets (project_id, last_activity_at) WHERE project_id IS NOT NULL;
CREATE INDEX tickets_requester ON tickets (requester_email, last_activity_at);

-- Mail from a card's own address (without a login) finds its card.
CREATE INDEX customers_email ON customers (email);

-- The thread: public replies (mailed) and internal notes (staff only).
CREATE TABLE ticket_entries (
    id {{id}},
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    -- reply | note
    kind TEXT NOT NULL,
    channel TEXT NOT NULL,
    from_staff INTEGER NOT NULL,
    author_user_id BIGINT REFERENCES users (id),
    author_email TEXT NOT NULL,
    author_name TEXT,
    -- what is shown: the new part of a mail, without the quoted history
    body TEXT NOT NULL,
    -- the whole text when it differs from body
    full_body TEXT,
    -- the original message in the file store, for a mail that came in
    raw_file TEXT,
    message_id TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX ticket_entries_ticket ON ticket_entries (ticket_id, id);

-- Every Message-ID Loket has seen or sent, with its ticket: threading (In-Reply-To,
-- References) and "the same message twice makes one entry".
CREATE TABLE ticket_mail (
    message_id TEXT PRIMARY KEY,
    ticket_id BIGINT REFERENCES tickets (id),
    -- in | out | ignored (auto-reply, bounce, list) | refused (unknown sender)
    direction TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX ticket_mail_ticket ON ticket_mail (ticket_id, created_at);

-- What happened to a ticket, in order: the SLA clocks are derived from it.
CREATE TABLE ticket_events (
    id {{id}},
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    -- created | status | priority | assigned | first_response | escalation | merged | project
    kind TEXT NOT NULL,
    value TEXT,
    actor_user_id BIGINT REFERENCES users (id),
    at BIGINT NOT NULL
);
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, id);

-- Everyone involved besides the requester: mailed on every public change.
CREATE TABLE ticket_watchers (
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    email TEXT NOT NULL,
    user_id BIGINT REFERENCES users (id),
    PRIMARY KEY (ticket_id, email)
);

CREATE TABLE ticket_attachments (
    id {{id}},
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    entry_id BIGINT NOT NULL REFERENCES ticket_entries (id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    -- the name in the file store
    stored TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX ticket_attachments_entry ON ticket_attachments (ticket_id, entry_id);

-- Time staff worked on a ticket; billable time becomes a line of the next invoice.
CREATE TABLE ticket_time (
    id {{id}},
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    worked_on TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    billed_minutes INTEGER NOT NULL,
    -- contract | project | billable | standby_callout | quote (a paid intervention)
    basis TEXT NOT NULL,
    note TEXT NOT NULL,
    item_id BIGINT REFERENCES billable_items (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX ticket_time_ticket ON ticket_time (ticket_id, id);

-- When Loket last acknowledged mail from an address: at most one per window (no loops).
CREATE TABLE helpdesk_acks (
    email TEXT PRIMARY KEY,
    last_at BIGINT NOT NULL
);

-- Bounces of Loket's own mail, recorded on the address.
CREATE TABLE mail_bounces (
    id {{id}},
    email TEXT NOT NULL,
    permanent INTEGER NOT NULL,
    original_message_id TEXT,
    at BIGINT NOT NULL
);
CREATE INDEX mail_bounces_email ON mail_bounces (email, at);

-- Standby agreed with a card: the span in the provider's local time, priced when agreed.
CREATE TABLE standby_periods (
    id {{id}},
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    starts_local TEXT NOT NULL,
    ends_local TEXT NOT NULL,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    -- the quote as priced: parts, categories, minutes, prices
    quote_json TEXT NOT NULL,
    total BIGINT NOT NULL,
    currency TEXT NOT NULL,
    note TEXT NOT NULL,
    item_id BIGINT REFERENCES billable_items (id),
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX standby_periods_customer ON standby_periods (customer_id, starts_at);
CREATE INDEX standby_periods_ends ON standby_periods (ends_at, starts_at);

-- A call on the provider during standby: an urgent ticket, a 30-minute response clock and the
-- worked time (minimum one hour) billed on top.
CREATE TABLE standby_callouts (
    id {{id}},
    standby_id BIGINT NOT NULL REFERENCES standby_periods (id),
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    called_at BIGINT NOT NULL,
    respond_by BIGINT NOT NULL,
    worked_minutes INTEGER,
    item_id BIGINT REFERENCES billable_items (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX standby_callouts_period ON standby_callouts (standby_id);
CREATE INDEX standby_callouts_ticket ON standby_callouts (ticket_id);

-- A staff member's saved views of the ticket queue: a name and the queue's filters as a query.
CREATE TABLE ticket_views (
    id {{id}},
    user_id BIGINT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    query TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (user_id, name)
);
