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


## The helpdesk ticket an incident opens
monitor-ticket-body = { $name } ({ $kind } { $target }) has been failing since { $since }: { $cause } ({ $detail }).
    Loket opened this ticket by itself and closes the incident when the service answers again.

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

## The monitoring pages: the public status page, a card's monitoring, staff's monitors
nav-monitoring = Monitoring
nav-staff-monitoring = Monitoring
monitoring-health-unknown = not measured yet
monitoring-health-up = up
monitoring-health-suspect = failing, being checked again
monitoring-health-down = down
monitoring-not-measured = not measured
monitoring-never = not yet
monitoring-yes = yes
monitoring-no = no
monitoring-status-title = Service status
monitoring-status-all-up = All services are up
monitoring-status-problems = { $count } of { $total } { $total ->
        [one] service has
       *[other] services have
    } a problem
monitoring-status-not-measured = Not measured yet
monitoring-status-partly-measured = { $count } of { $total } services not measured yet; the others are up
monitoring-status-updated = As of { $when }.
monitoring-status-none = There are no public services to show.
monitoring-status-caption = Services, their state and availability from { $from } to { $to }
monitoring-col-service = Service
monitoring-col-state = State
monitoring-col-days = Last 30 days
monitoring-col-30-days = 30 days
monitoring-key-up = 99.9 % or more
monitoring-key-warn = 99 % to 99.9 %
monitoring-key-down = below 99 %
monitoring-key-none = not measured
monitoring-incidents-open = Current incidents
monitoring-down-since = down since { $since }
monitoring-maintenance-upcoming = Planned maintenance (next 14 days)
monitoring-maintenance-none = No maintenance planned.
monitoring-maintenance-from-to = { $starts } to { $ends }
monitoring-title = Monitoring
monitoring-card-caption = Your monitored services
monitoring-card-none = No services of this card are monitored.
monitoring-col-monitor = Monitor
monitoring-col-last = Last check
monitoring-col-response = Response time
monitoring-col-this-month = This month
monitoring-col-details = Details
monitoring-report-title = Monthly report
monitoring-report-show = Show
monitoring-report-intro = The availability of your services in { $month }, planned maintenance left out.
monitoring-report-so-far = This month is not over yet: the figures so far.
monitoring-report-credit-so-far = So far a target is not met: if it stays so until the end of the month, { $amount } is credited to you on your next invoice.
monitoring-report-pdf = Download the report (PDF)
monitoring-report-services = Services in { $month }
monitoring-report-monitor-line = down { $down }, maintenance { $maintenance }, { $checks } checks
monitoring-block-title = { $total ->
        [one] 1 monitored service
       *[other] { $total } monitored services
    }
monitoring-block-problems = { $count } of { $total } monitored services { $count ->
        [one] has
       *[other] have
    } a problem
monitoring-block-more = { $count } incidents are open in all.
monitoring-staff-title = Monitors
monitoring-staff-none = No monitors match.
monitoring-counts = Monitors per state
monitoring-new = New monitor
monitoring-edit = Change monitor
monitoring-back = Back to the monitors
monitoring-saved = The monitor has been saved.
monitoring-filter-trouble = Only those not up
monitoring-filter-unknown-card = There is no customer card { $card }.
monitoring-own = our own
monitoring-inactive = (paused)
monitoring-public = (public)
monitoring-incidents-title = Incidents
monitoring-incidents-recent = Recovered in the last 30 days
monitoring-incidents-none-open = No incident is going on.
monitoring-incidents-none-recent = No incidents.
monitoring-incidents-90 = Incidents of the last 90 days
monitoring-col-ticket = Ticket
monitoring-ticket-link = ticket { $id }
monitoring-flaps = { $count ->
        [one] came back once
       *[other] came back { $count } times
    }
monitoring-failing-since = Failing since
monitoring-certificate = Certificate
monitoring-certificate-expires = expires { $when } (in { $days } days)
monitoring-certificate-unknown = not known
monitoring-spec = Configuration
monitoring-seconds = { $count ->
        [one] 1 second
       *[other] { $count } seconds
    }
monitoring-hours-48 = The last 48 hours
monitoring-raw-2h = Checks of the last 2 hours
monitoring-col-hour = Hour
monitoring-col-when = When
monitoring-col-failures = Failed
monitoring-check-ok = passed
monitoring-check-failed = failed
monitoring-no-checks = No checks in this time.
monitoring-field-code = Code
monitoring-code-hint = Letters, digits, '-', '_' or '.'; the monitor's name in the monitors file and the API.
monitoring-code-stays = The code does not change.
monitoring-field-name = Name
monitoring-field-kind = Kind of check
monitoring-field-target = Target
monitoring-target-hint = http: a URL; tcp and tls: host:port; dns: name TYPE; smtp and imap: smtp://host or imaps://host.
monitoring-field-interval = Interval
monitoring-interval-hint = Like "60 seconds" or "5 minutes": between 10 seconds and 1 day.
monitoring-field-timeout = Time-out
monitoring-field-keyword = Keyword
monitoring-keyword-hint = Text the page, the DNS answer or the mail server's greeting must contain (optional).
monitoring-field-cert-days = Certificate warning (days before expiry)
monitoring-field-subscription = Service (subscription id)
monitoring-subscription-hint = Empty for our own infrastructure.
monitoring-field-options = Options
monitoring-field-active = Checked
monitoring-field-public = On the public status page
monitoring-field-notify = The customer is told of incidents
monitoring-save = Save
monitoring-err-month = Choose a month like 2026-11.
monitoring-err-duration = Write a length of time like "60 seconds", "5 minutes" or "1 hour".
monitoring-err-interval = An interval is between 10 seconds and 1 day.
monitoring-err-timeout = A time-out is between 1 and 60 seconds and shorter than the interval.
