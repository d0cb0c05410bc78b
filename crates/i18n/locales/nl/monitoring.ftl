# Monitoring: the monthly availability report (PDF) and the monitoring e-mails.
# MONTH("2026-11") is the month in words ("november 2026"); DECIMAL("99.977") writes the
# language's decimal sign.

## Why a check failed: the stored cause names
monitor-cause-timeout = geen antwoord binnen de tijd
monitor-cause-refused = verbinding geweigerd
monitor-cause-dns = de naam kon niet worden opgezocht (DNS)
monitor-cause-tls = de beveiligde verbinding (TLS) mislukte
monitor-cause-certificate = het certificaat is ongeldig of verlopen
monitor-cause-status = onverwachte HTTP-status
monitor-cause-keyword = de verwachte tekst ontbreekt
monitor-cause-protocol = protocolfout

## The availability report as PDF
pdf-availability-title = Beschikbaarheidsrapport { MONTH($month) }
pdf-availability-month = Maand
pdf-availability-customer = Klant
pdf-availability-time-zone = Tijdzone
pdf-availability-intro = De beschikbaarheid van uw diensten in { MONTH($month) }: het deel van de bewaakte tijd dat elke dienst bereikbaar was, gepland onderhoud niet meegerekend. Een dienst is zo beschikbaar als zijn minst beschikbare monitor. Tijden zijn lokale tijden in { $zone }.
pdf-availability-col-service = Dienst
pdf-availability-col-plan = Pakket
pdf-availability-col-availability = Beschikbaarheid
pdf-availability-col-target = Norm
pdf-availability-col-verdict = Resultaat
pdf-availability-col-credit = Creditering
pdf-availability-met = gehaald
pdf-availability-not-met = niet gehaald
pdf-availability-not-measured = niet gemeten
pdf-availability-no-target = geen norm
pdf-availability-col-monitor = Monitor
pdf-availability-col-downtime = Storing (u:mm)
pdf-availability-col-maintenance = Onderh. (u:mm)
pdf-availability-col-checks = Controles
pdf-availability-col-response = Gem. reactietijd
pdf-availability-no-monitors = Geen monitor bewaakte deze dienst deze maand.
pdf-availability-incidents = Storingen
pdf-availability-no-incidents = Geen storingen deze maand.
pdf-availability-col-start = Begin
pdf-availability-col-end = Einde
pdf-availability-col-duration = Duur
pdf-availability-col-cause = Oorzaak
pdf-availability-ongoing = duurt voort
pdf-availability-maintenance = Gepland onderhoud
pdf-availability-no-maintenance = Geen gepland onderhoud deze maand.
pdf-availability-col-reason = Reden
pdf-availability-credit-total = Totale creditering
pdf-availability-credit-note = Omdat een norm niet is gehaald, crediteren wij u { $amount }: dit bedrag wordt verrekend met uw volgende factuur.
pdf-availability-all-met = Elke dienst met een norm heeft die deze maand gehaald.

## E-mails
mail-monitor-down-subject = Storing: { $name }
mail-monitor-down-body = { $name } ({ $target }) is sinds { $since } niet bereikbaar.
mail-monitor-up-subject = Weer bereikbaar: { $name }
mail-monitor-up-body = { $name } ({ $target }) is sinds { $until } weer bereikbaar, na { $minutes ->
        [one] 1 minuut
       *[other] { $minutes } minuten
    } storing (vanaf { $since }).
mail-monitor-cause = Oorzaak: { $cause }
mail-monitor-customer = Klant: { $customer }
mail-monitor-ticket = Ticket: { $ticket }
mail-monitor-code = Monitor: { $monitor }
mail-monitor-link = Details:
mail-maintenance-announced-subject = Gepland onderhoud op { $starts }
mail-maintenance-announced-body = Wij voeren gepland onderhoud uit van { $starts } tot { $ends }. Uw diensten kunnen in die periode tijdelijk onbereikbaar zijn.
mail-maintenance-repeat-once = Dit onderhoud vindt eenmalig plaats.
mail-maintenance-repeat-daily = Dit onderhoud herhaalt zich elke dag op dezelfde tijd.
mail-maintenance-repeat-weekly = Dit onderhoud herhaalt zich elke week op dezelfde tijd.
mail-maintenance-repeat-monthly = Dit onderhoud herhaalt zich elke maand op dezelfde tijd.
mail-maintenance-reason = Reden: { $reason }
mail-maintenance-services = Betrokken diensten:
mail-maintenance-sla = Gepland onderhoud telt niet mee voor de beschikbaarheid die wij u beloven.
mail-monitoring-panel-link = De status van uw diensten in uw klantenpaneel:
mail-monitoring-panel-button = Bekijk uw diensten
mail-availability-report-subject = Beschikbaarheidsrapport { MONTH($month) }
mail-availability-report-body = Bijgaand vindt u het beschikbaarheidsrapport van { $customer } over { MONTH($month) }.
mail-availability-report-service = { $service }: { DECIMAL($availability) } % (norm { DECIMAL($target) } %), { $verdict ->
        [met] norm gehaald
       *[other] norm niet gehaald
    }
mail-availability-report-service-no-target = { $service }: { DECIMAL($availability) } %
mail-availability-report-service-not-measured = { $service }: niet gemeten
mail-availability-report-all-met = Elke dienst met een norm heeft die gehaald.
mail-availability-report-not-all-met = Niet elke dienst heeft zijn norm gehaald.
mail-availability-report-credit = Wij crediteren u { $credit }: dit bedrag wordt verrekend met uw volgende factuur.

## The credit line a missed availability target puts on the next invoice
monitoring-credit-line = Creditering beschikbaarheid { MONTH($month) }: { $service }
