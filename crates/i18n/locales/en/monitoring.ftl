# Monitoring: the monthly availability report (PDF) and the monitoring e-mails.
# MONTH("2026-11") is the month in words ("November 2026"); DECIMAL("99.977") writes the
# language's decimal sign.

## Why a check failed: the stored cause names
monitor-cause-timeout = no answer in time
monitor-cause-refused = connection refused
monitor-cause-dns = the name could not be resolved (DNS)
monitor-cause-tls = the secure connection (TLS) failed
monitor-cause-certificate = the certificate is invalid or expired
monitor-cause-status = unexpected HTTP status
monitor-cause-keyword = the expected text is missing
monitor-cause-protocol = protocol error

## The availability report as PDF
pdf-availability-title = Availability report { MONTH($month) }
pdf-availability-month = Month
pdf-availability-customer = Customer
pdf-availability-time-zone = Time zone
pdf-availability-intro = The availability of your services in { MONTH($month) }: the time each service was up out of the time it was monitored, planned maintenance left out. A service is as available as its least available monitor. Times are local times in { $zone }.
pdf-availability-col-service = Service
pdf-availability-col-plan = Plan
pdf-availability-col-availability = Availability
pdf-availability-col-target = Target
pdf-availability-col-verdict = Result
pdf-availability-col-credit = Credit
pdf-availability-met = met
pdf-availability-not-met = not met
pdf-availability-not-measured = not measured
pdf-availability-no-target = no target
pdf-availability-col-monitor = Monitor
pdf-availability-col-downtime = Down (h:mm)
pdf-availability-col-maintenance = Maint. (h:mm)
pdf-availability-col-checks = Checks
pdf-availability-col-response = Avg. response
pdf-availability-no-monitors = No monitor watched this service this month.
pdf-availability-incidents = Incidents
pdf-availability-no-incidents = No incidents this month.
pdf-availability-col-start = Start
pdf-availability-col-end = End
pdf-availability-col-duration = Duration
pdf-availability-col-cause = Cause
pdf-availability-ongoing = ongoing
pdf-availability-maintenance = Planned maintenance
pdf-availability-no-maintenance = No planned maintenance this month.
pdf-availability-col-reason = Reason
pdf-availability-credit-total = Total credit
pdf-availability-credit-note = Because a target was not met, { $amount } is credited to you: it is deducted from your next invoice.
pdf-availability-all-met = Every service with a target met it this month.

## E-mails
mail-monitor-down-subject = Down: { $name }
mail-monitor-down-body = { $name } ({ $target }) has been unreachable since { $since }.
mail-monitor-up-subject = Up again: { $name }
mail-monitor-up-body = { $name } ({ $target }) is reachable again since { $until }, after { $minutes ->
        [one] 1 minute
       *[other] { $minutes } minutes
    } down (from { $since }).
mail-monitor-cause = Cause: { $cause }
mail-monitor-customer = Customer: { $customer }
mail-monitor-ticket = Ticket: { $ticket }
mail-monitor-code = Monitor: { $monitor }
mail-monitor-link = Details:
mail-maintenance-announced-subject = Planned maintenance on { $starts }
mail-maintenance-announced-body = We will carry out planned maintenance from { $starts } to { $ends }. Your services may be unavailable for part of that time.
mail-maintenance-repeat-once = This is a one-off maintenance window.
mail-maintenance-repeat-daily = This maintenance window repeats every day at the same time.
mail-maintenance-repeat-weekly = This maintenance window repeats every week at the same time.
mail-maintenance-repeat-monthly = This maintenance window repeats every month at the same time.
mail-maintenance-reason = Reason: { $reason }
mail-maintenance-services = Services concerned:
mail-maintenance-sla = Planned maintenance does not count against the availability we promise you.
mail-monitoring-panel-link = The status of your services in your customer panel:
mail-monitoring-panel-button = View your services
mail-availability-report-subject = Availability report { MONTH($month) }
mail-availability-report-body = Attached is the availability report of { $customer } for { MONTH($month) }.
mail-availability-report-service = { $service }: { DECIMAL($availability) } % (target { DECIMAL($target) } %), { $verdict ->
        [met] target met
       *[other] target not met
    }
mail-availability-report-service-no-target = { $service }: { DECIMAL($availability) } %
mail-availability-report-service-not-measured = { $service }: not measured
mail-availability-report-all-met = Every service with a target met it.
mail-availability-report-not-all-met = Not every service met its target.
mail-availability-report-credit = { $credit } is credited to you: it is deducted from your next invoice.

## The credit line a missed availability target puts on the next invoice
monitoring-credit-line = Availability credit { MONTH($month) }: { $service }
