-- The staff list (`loket staff list`) reads only staff among every customer's users.
CREATE INDEX users_staff ON users (staff_role, email) WHERE staff_role IS NOT NULL;
