#!/usr/bin/env bash
# What PostgreSQL alone can serve of the customer dashboard on this machine: pgbench sends the
# dashboard's four statements (the session with its user and cards, the card with its counts,
# its subscriptions, its latest notifications) straight to the server, without Loket, without
# HTTP, as prepared statements, for customers spread over the whole benchmark database. It
# prints pages per second and the latency of the four statements together, p50 and p99, with
# 16 clients (Loket's default pool) and 64 (one per connection of bench/pages.sh), each
# statement its own round trip as Loket sends them, and all four pipelined in one.
#
# A page cannot be faster under load than its statements are here: Loket's own CPU comes on
# top, on the same cores. Run it on the database `loket bench billing` filled:
#
#   bench/pg_floor.sh postgres://postgres@127.0.0.1/bench2 [SECONDS]
#
# The statements are the dashboard's as written in crates/store (accounts.rs's session read,
# attention.rs, billing/subscriptions.rs, billing/payments.rs's notifications); if those change,
# change them here.
# Needs pgbench and psql (Debian: postgresql-client).
set -euo pipefail
url="${1:?give the database URL that bench billing filled}"
secs="${2:-8}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

now_us="$(date +%s)000000"
today="$(date +%F)"
# A live session of a customer's user: the session statement reads it the way a request does.
hash="$(psql "$url" -Atc "SELECT s.id_hash FROM sessions s JOIN users u ON u.id = s.user_id \
  WHERE u.staff_role IS NULL AND s.expires_at > $now_us ORDER BY s.expires_at DESC LIMIT 1")"
[[ -n "$hash" ]] || { echo "no live customer session: run 'loket bench sessions --count 64' on this database first" >&2; exit 1; }
customers="$(psql "$url" -Atc "SELECT COUNT(*) FROM customers")"

cat > "$work/statements.sql" <<SQL
\set cid random(1, $customers)
SELECT s.csrf_token, s.second_factor_done, s.last_seen_at, u.id, u.email, u.name, u.password_hash, u.language, u.staff_role, u.totp_enabled, u.disabled, u.created_at, m.customer_id AS m_customer, c.number AS m_number, c.legal_name AS m_name, m.role AS m_role, m.permissions AS m_permissions, (SELECT COUNT(*) FROM memberships m2 JOIN customers c2 ON c2.id = m2.customer_id WHERE m2.user_id = u.id AND c2.requires_second_factor = 1) AS m_requiring FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN memberships m ON m.user_id = u.id AND u.staff_role IS NULL LEFT JOIN customers c ON c.id = m.customer_id WHERE s.id_hash = '$hash' AND s.expires_at > $now_us AND u.disabled = 0 ORDER BY m.customer_id LIMIT 20;
SELECT c.id, c.number, c.kind, c.legal_name, c.trading_name, c.street, c.postal_code, c.city, c.country, c.email, c.invoice_email, c.phone, c.language, c.vat_number, c.coc_number, c.tax_code, c.sdi_code, c.pec, c.tier, c.payment_method, c.iban, c.wants_invoice_reminder, c.requires_second_factor, c.wants_ubl_attachment, c.replaced_by, c.created_at, d.open_count, d.open_total, d.overdue_count, d.overdue_total, (SELECT COUNT(*) FROM quotes WHERE customer_id = :cid AND status = 'sent' AND valid_until >= '$today') AS quotes_waiting, (SELECT COUNT(*) FROM tickets WHERE customer_id = :cid AND status = 'waiting') AS tickets_waiting, (SELECT string_agg(health || ':' || CAST(n AS TEXT), ',') FROM (SELECT health, COUNT(*) AS n FROM monitors WHERE customer_id = :cid AND active = 1 GROUP BY health) AS h) AS monitors FROM (SELECT COUNT(*) AS open_count, CAST(COALESCE(SUM(CASE WHEN gross - paid - credited > 0 THEN gross - paid - credited ELSE 0 END), 0) AS BIGINT) AS open_total, CAST(COALESCE(SUM(CASE WHEN due_date < '$today' THEN 1 ELSE 0 END), 0) AS BIGINT) AS overdue_count, CAST(COALESCE(SUM(CASE WHEN due_date < '$today' THEN CASE WHEN gross - paid - credited > 0 THEN gross - paid - credited ELSE 0 END ELSE 0 END), 0) AS BIGINT) AS overdue_total FROM invoices WHERE state = 'open' AND customer_id = :cid AND kind <> 'credit_note') AS d JOIN customers c ON c.id = :cid;
SELECT id, customer_id, plan_id, terms_id, label, price, state, suspended_since, start_date, ordered_on, invoiced_until, renewed_until, ends_on, setup_invoiced, cancel_received_on, cancel_channel, renewal_offered_for, parent_id, plan_changed_on, (SELECT stamp FROM catalog_stamp WHERE id = 1) AS catalog_stamp FROM subscriptions WHERE customer_id = :cid ORDER BY id;
SELECT id, customer_id, kind, data, created_at, outbox_id, read_at, (SELECT COUNT(*) FROM (SELECT 1 FROM notifications WHERE customer_id = :cid AND read_at IS NULL LIMIT CAST(1000 AS BIGINT)) AS u) AS unread FROM notifications WHERE customer_id = :cid ORDER BY id DESC LIMIT CAST(5 AS BIGINT);
SQL
{
  head -n 1 "$work/statements.sql"
  echo '\startpipeline'
  tail -n +2 "$work/statements.sql"
  echo '\endpipeline'
} > "$work/pipelined.sql"

printf "| %-44s | %9s | %8s | %8s |\n" "dashboard's 4 statements, pgbench, ${secs} s" "pages/s" "p50" "p99"
printf "|%s|%s|%s|%s|\n" "----------------------------------------------" "-----------" "----------" "----------"
for script in statements pipelined; do
  for clients in 16 64; do
    rm -f "$work"/pgbench_log*
    out="$(cd "$work" && pgbench "$url" -n -M prepared -c "$clients" -j 2 -T "$secs" -l -f "$script.sql" 2>&1)"
    tps="$(awk '/^tps/ {printf "%.0f", $3}' <<<"$out")"
    # Each transaction's latency in µs is the third field of pgbench's log.
    read -r p50 p99 < <(cat "$work"/pgbench_log* | awk '{print $3}' | sort -n |
      awk '{a[NR] = $1} END {printf "%.2fms %.2fms\n", a[int(NR * 0.5)] / 1000, a[int(NR * 0.99)] / 1000}')
    label="$clients clients, $([[ $script == statements ]] && echo "a round trip each" || echo "pipelined")"
    printf "| %-44s | %9s | %8s | %8s |\n" "$label" "$tps" "$p50" "$p99"
  done
done
