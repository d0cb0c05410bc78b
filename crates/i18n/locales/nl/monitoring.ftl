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


## The helpdesk ticket an incident opens
monitor-ticket-body = { $name } ({ $kind } { $target }) werkt niet sinds { $since }: { $cause } ({ $detail }).
    Loket heeft dit ticket zelf geopend en sluit de storing zodra de dienst weer antwoordt.

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

## The monitoring pages: the public status page, a card's monitoring, staff's monitors
nav-monitoring = Monitoring
nav-staff-monitoring = Monitoring
monitoring-health-unknown = nog niet gemeten
monitoring-health-up = in de lucht
monitoring-health-suspect = storing, wordt opnieuw gecontroleerd
monitoring-health-down = onbereikbaar
monitoring-not-measured = niet gemeten
monitoring-never = nog niet
monitoring-yes = ja
monitoring-no = nee
monitoring-status-title = Status van de diensten
monitoring-status-all-up = Alle diensten zijn in de lucht
monitoring-status-problems = { $count } van { $total } { $total ->
        [one] dienst heeft
       *[other] diensten hebben
    } een storing
monitoring-status-not-measured = Nog niet gemeten
monitoring-status-partly-measured = { $count } van { $total } diensten nog niet gemeten; de andere zijn in de lucht
monitoring-status-updated = Stand van { $when }.
monitoring-status-none = Er zijn geen openbare diensten om te tonen.
monitoring-status-caption = Diensten, hun status en beschikbaarheid van { $from } tot { $to }
monitoring-col-service = Dienst
monitoring-col-state = Status
monitoring-col-days = Afgelopen 30 dagen
monitoring-col-30-days = 30 dagen
monitoring-key-up = 99,9 % of meer
monitoring-key-warn = 99 % tot 99,9 %
monitoring-key-down = onder 99 %
monitoring-key-none = niet gemeten
monitoring-incidents-open = Lopende storingen
monitoring-down-since = onbereikbaar sinds { $since }
monitoring-maintenance-upcoming = Gepland onderhoud (komende 14 dagen)
monitoring-maintenance-none = Geen onderhoud gepland.
monitoring-maintenance-from-to = { $starts } tot { $ends }
monitoring-title = Monitoring
monitoring-card-caption = Uw bewaakte diensten
monitoring-card-none = Van deze klantkaart worden geen diensten bewaakt.
monitoring-col-monitor = Controle
monitoring-col-last = Laatste controle
monitoring-col-response = Reactietijd
monitoring-col-this-month = Deze maand
monitoring-col-details = Details
monitoring-report-title = Maandrapport
monitoring-report-show = Tonen
monitoring-report-intro = De beschikbaarheid van uw diensten in { $month }, gepland onderhoud niet meegeteld.
monitoring-report-so-far = Deze maand is nog niet voorbij: de cijfers tot nu toe.
monitoring-report-credit-so-far = Tot nu toe is een doel niet gehaald: blijft dat zo tot het einde van de maand, dan krijgt u { $amount } terug op uw volgende factuur.
monitoring-report-pdf = Rapport downloaden (pdf)
monitoring-report-services = Diensten in { $month }
monitoring-report-monitor-line = onbereikbaar { $down }, onderhoud { $maintenance }, { $checks } controles
monitoring-block-title = { $total ->
        [one] 1 bewaakte dienst
       *[other] { $total } bewaakte diensten
    }
monitoring-block-problems = { $count } van { $total } bewaakte diensten { $count ->
        [one] heeft
       *[other] hebben
    } een storing
monitoring-block-more = Er lopen in totaal { $count } storingen.
monitoring-staff-title = Controles
monitoring-staff-none = Geen controles gevonden.
monitoring-counts = Controles per status
monitoring-new = Nieuwe controle
monitoring-edit = Controle wijzigen
monitoring-back = Terug naar de controles
monitoring-saved = De controle is opgeslagen.
monitoring-filter-trouble = Alleen die niet in de lucht zijn
monitoring-filter-unknown-card = Er is geen klantkaart { $card }.
monitoring-own = eigen
monitoring-inactive = (gepauzeerd)
monitoring-public = (openbaar)
monitoring-incidents-title = Storingen
monitoring-incidents-recent = Verholpen in de afgelopen 30 dagen
monitoring-incidents-none-open = Er loopt geen storing.
monitoring-incidents-none-recent = Geen storingen.
monitoring-incidents-90 = Storingen van de afgelopen 90 dagen
monitoring-col-ticket = Ticket
monitoring-ticket-link = ticket { $id }
monitoring-flaps = { $count ->
        [one] kwam één keer terug
       *[other] kwam { $count } keer terug
    }
monitoring-failing-since = Storing sinds
monitoring-certificate = Certificaat
monitoring-certificate-expires = verloopt { $when } (over { $days } dagen)
monitoring-certificate-unknown = onbekend
monitoring-spec = Instellingen
monitoring-seconds = { $count ->
        [one] 1 seconde
       *[other] { $count } seconden
    }
monitoring-hours-48 = De afgelopen 48 uur
monitoring-raw-2h = Controles van de afgelopen 2 uur
monitoring-col-hour = Uur
monitoring-col-when = Wanneer
monitoring-col-failures = Mislukt
monitoring-check-ok = geslaagd
monitoring-check-failed = mislukt
monitoring-no-checks = Geen controles in deze periode.
monitoring-field-code = Code
monitoring-code-hint = Letters, cijfers, '-', '_' of '.'; de naam van de controle in het controlebestand en de API.
monitoring-code-stays = De code verandert niet.
monitoring-field-name = Naam
monitoring-field-kind = Soort controle
monitoring-field-target = Doel
monitoring-target-hint = http: een URL; tcp en tls: host:poort; dns: naam TYPE; smtp en imap: smtp://host of imaps://host.
monitoring-field-interval = Interval
monitoring-interval-hint = Zoals "60 seconds" of "5 minutes": tussen 10 seconden en 1 dag.
monitoring-field-timeout = Time-out
monitoring-field-keyword = Trefwoord
monitoring-keyword-hint = Tekst die de pagina, het DNS-antwoord of de begroeting van de mailserver moet bevatten (optioneel).
monitoring-field-cert-days = Certificaatwaarschuwing (dagen voor verloop)
monitoring-field-subscription = Dienst (abonnementsnummer)
monitoring-subscription-hint = Leeg voor onze eigen infrastructuur.
monitoring-field-options = Opties
monitoring-field-active = Wordt gecontroleerd
monitoring-field-public = Op de openbare statuspagina
monitoring-field-notify = De klant hoort van storingen
monitoring-save = Opslaan
monitoring-err-month = Kies een maand zoals 2026-11.
monitoring-err-duration = Schrijf een tijdsduur zoals "60 seconds", "5 minutes" of "1 hour".
monitoring-err-interval = Een interval ligt tussen 10 seconden en 1 dag.
monitoring-err-timeout = Een time-out ligt tussen 1 en 60 seconden en is korter dan het interval.
