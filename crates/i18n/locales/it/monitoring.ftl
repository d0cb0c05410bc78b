# Monitoring: the monthly availability report (PDF) and the monitoring e-mails.
# MONTH("2026-11") is the month in words ("novembre 2026"); DECIMAL("99.977") writes the
# language's decimal sign.

## Why a check failed: the stored cause names
monitor-cause-timeout = nessuna risposta in tempo
monitor-cause-refused = connessione rifiutata
monitor-cause-dns = il nome non è stato risolto (DNS)
monitor-cause-tls = la connessione sicura (TLS) non è riuscita
monitor-cause-certificate = il certificato non è valido o è scaduto
monitor-cause-status = stato HTTP inatteso
monitor-cause-keyword = il testo atteso non è presente
monitor-cause-protocol = errore di protocollo


## The helpdesk ticket an incident opens
monitor-ticket-body = { $name } ({ $kind } { $target }) non funziona dal { $since }: { $cause } ({ $detail }).
    Loket ha aperto questo ticket da solo e chiude l'incidente quando il servizio risponde di nuovo.

## The availability report as PDF
pdf-availability-title = Rapporto di disponibilità { MONTH($month) }
pdf-availability-month = Mese
pdf-availability-customer = Cliente
pdf-availability-time-zone = Fuso orario
pdf-availability-intro = La disponibilità dei suoi servizi nel mese di { MONTH($month) }: la parte del tempo monitorato in cui ogni servizio era raggiungibile, esclusa la manutenzione programmata. Un servizio è disponibile quanto il suo monitor meno disponibile. Gli orari sono orari locali di { $zone }.
pdf-availability-col-service = Servizio
pdf-availability-col-plan = Piano
pdf-availability-col-availability = Disponibilità
pdf-availability-col-target = Obiettivo
pdf-availability-col-verdict = Esito
pdf-availability-col-credit = Accredito
pdf-availability-met = rispettato
pdf-availability-not-met = non rispettato
pdf-availability-not-measured = non misurato
pdf-availability-no-target = nessun obiettivo
pdf-availability-col-monitor = Monitor
pdf-availability-col-downtime = Fermo (h:mm)
pdf-availability-col-maintenance = Manut. (h:mm)
pdf-availability-col-checks = Controlli
pdf-availability-col-response = Risposta media
pdf-availability-no-monitors = Nessun monitor ha controllato questo servizio questo mese.
pdf-availability-incidents = Disservizi
pdf-availability-no-incidents = Nessun disservizio questo mese.
pdf-availability-col-start = Inizio
pdf-availability-col-end = Fine
pdf-availability-col-duration = Durata
pdf-availability-col-cause = Causa
pdf-availability-ongoing = in corso
pdf-availability-maintenance = Manutenzione programmata
pdf-availability-no-maintenance = Nessuna manutenzione programmata questo mese.
pdf-availability-col-reason = Motivo
pdf-availability-credit-total = Accredito totale
pdf-availability-credit-note = Poiché un obiettivo non è stato rispettato, le accreditiamo { $amount }: l'importo sarà detratto dalla prossima fattura.
pdf-availability-all-met = Ogni servizio con un obiettivo lo ha rispettato questo mese.

## E-mails
mail-monitor-down-subject = Disservizio: { $name }
mail-monitor-down-body = { $name } ({ $target }) non è raggiungibile dal { $since }.
mail-monitor-up-subject = Di nuovo raggiungibile: { $name }
mail-monitor-up-body = { $name } ({ $target }) è di nuovo raggiungibile dal { $until }, dopo { $minutes ->
        [one] 1 minuto
       *[other] { $minutes } minuti
    } di disservizio (dal { $since }).
mail-monitor-cause = Causa: { $cause }
mail-monitor-customer = Cliente: { $customer }
mail-monitor-ticket = Ticket: { $ticket }
mail-monitor-code = Monitor: { $monitor }
mail-monitor-link = Dettagli:
mail-maintenance-announced-subject = Manutenzione programmata il { $starts }
mail-maintenance-announced-body = Eseguiremo una manutenzione programmata dal { $starts } al { $ends }. In quel periodo i suoi servizi potrebbero essere temporaneamente non raggiungibili.
mail-maintenance-repeat-once = Questa manutenzione avviene una sola volta.
mail-maintenance-repeat-daily = Questa manutenzione si ripete ogni giorno alla stessa ora.
mail-maintenance-repeat-weekly = Questa manutenzione si ripete ogni settimana alla stessa ora.
mail-maintenance-repeat-monthly = Questa manutenzione si ripete ogni mese alla stessa ora.
mail-maintenance-reason = Motivo: { $reason }
mail-maintenance-services = Servizi interessati:
mail-maintenance-sla = La manutenzione programmata non conta ai fini della disponibilità che le garantiamo.
mail-monitoring-panel-link = Lo stato dei suoi servizi nell'area clienti:
mail-monitoring-panel-button = Vedi i suoi servizi
mail-availability-report-subject = Rapporto di disponibilità { MONTH($month) }
mail-availability-report-body = In allegato trova il rapporto di disponibilità di { $customer } relativo a { MONTH($month) }.
mail-availability-report-service = { $service }: { DECIMAL($availability) } % (obiettivo { DECIMAL($target) } %), { $verdict ->
        [met] obiettivo rispettato
       *[other] obiettivo non rispettato
    }
mail-availability-report-service-no-target = { $service }: { DECIMAL($availability) } %
mail-availability-report-service-not-measured = { $service }: non misurato
mail-availability-report-all-met = Ogni servizio con un obiettivo lo ha rispettato.
mail-availability-report-not-all-met = Non tutti i servizi hanno rispettato il loro obiettivo.
mail-availability-report-credit = Le accreditiamo { $credit }: l'importo sarà detratto dalla prossima fattura.

## The credit line a missed availability target puts on the next invoice
monitoring-credit-line = Accredito disponibilità { MONTH($month) }: { $service }

## The monitoring pages: the public status page, a card's monitoring, staff's monitors
nav-monitoring = Monitoraggio
nav-staff-monitoring = Monitoraggio
monitoring-health-unknown = non ancora misurato
monitoring-health-up = attivo
monitoring-health-suspect = guasto, in verifica
monitoring-health-down = non raggiungibile
monitoring-not-measured = non misurato
monitoring-never = non ancora
monitoring-yes = sì
monitoring-no = no
monitoring-status-title = Stato dei servizi
monitoring-status-all-up = Tutti i servizi sono attivi
monitoring-status-problems = { $count } servizi su { $total } hanno un problema
monitoring-status-not-measured = Non ancora misurato
monitoring-status-partly-measured = { $count } servizi su { $total } non ancora misurati; gli altri sono attivi
monitoring-status-updated = Aggiornato al { $when }.
monitoring-status-none = Non ci sono servizi pubblici da mostrare.
monitoring-status-caption = Servizi, il loro stato e la disponibilità dal { $from } al { $to }
monitoring-col-service = Servizio
monitoring-col-state = Stato
monitoring-col-days = Ultimi 30 giorni
monitoring-col-30-days = 30 giorni
monitoring-key-up = 99,9 % o più
monitoring-key-warn = dal 99 % al 99,9 %
monitoring-key-down = sotto il 99 %
monitoring-key-none = non misurato
monitoring-incidents-open = Guasti in corso
monitoring-down-since = non raggiungibile dal { $since }
monitoring-maintenance-upcoming = Manutenzione programmata (prossimi 14 giorni)
monitoring-maintenance-none = Nessuna manutenzione programmata.
monitoring-maintenance-from-to = dal { $starts } al { $ends }
monitoring-title = Monitoraggio
monitoring-card-caption = I vostri servizi monitorati
monitoring-card-none = Nessun servizio di questa scheda è monitorato.
monitoring-col-monitor = Controllo
monitoring-col-last = Ultimo controllo
monitoring-col-response = Tempo di risposta
monitoring-col-this-month = Questo mese
monitoring-col-details = Dettagli
monitoring-report-title = Rapporto mensile
monitoring-report-show = Mostra
monitoring-report-intro = La disponibilità dei vostri servizi in { $month }, esclusa la manutenzione programmata.
monitoring-report-so-far = Questo mese non è ancora finito: i dati finora.
monitoring-report-credit-so-far = Finora un obiettivo non è raggiunto: se resta così fino alla fine del mese, { $amount } vi sarà accreditato sulla prossima fattura.
monitoring-report-pdf = Scarica il rapporto (PDF)
monitoring-report-services = Servizi in { $month }
monitoring-report-monitor-line = non raggiungibile { $down }, manutenzione { $maintenance }, { $checks } controlli
monitoring-block-title = { $total ->
        [one] 1 servizio monitorato
       *[other] { $total } servizi monitorati
    }
monitoring-block-problems = { $count } servizi monitorati su { $total } hanno un problema
monitoring-block-more = In tutto ci sono { $count } guasti in corso.
monitoring-staff-title = Controlli
monitoring-staff-none = Nessun controllo trovato.
monitoring-counts = Controlli per stato
monitoring-new = Nuovo controllo
monitoring-edit = Modifica controllo
monitoring-back = Torna ai controlli
monitoring-saved = Il controllo è stato salvato.
monitoring-filter-trouble = Solo quelli non attivi
monitoring-filter-unknown-card = Non esiste la scheda cliente { $card }.
monitoring-own = nostro
monitoring-inactive = (in pausa)
monitoring-public = (pubblico)
monitoring-incidents-title = Guasti
monitoring-incidents-recent = Risolti negli ultimi 30 giorni
monitoring-incidents-none-open = Nessun guasto in corso.
monitoring-incidents-none-recent = Nessun guasto.
monitoring-incidents-90 = Guasti degli ultimi 90 giorni
monitoring-col-ticket = Ticket
monitoring-ticket-link = ticket { $id }
monitoring-flaps = { $count ->
        [one] si è ripresentato una volta
       *[other] si è ripresentato { $count } volte
    }
monitoring-failing-since = Guasto dal
monitoring-certificate = Certificato
monitoring-certificate-expires = scade il { $when } (tra { $days } giorni)
monitoring-certificate-unknown = non noto
monitoring-spec = Configurazione
monitoring-seconds = { $count ->
        [one] 1 secondo
       *[other] { $count } secondi
    }
monitoring-hours-48 = Le ultime 48 ore
monitoring-raw-2h = Controlli delle ultime 2 ore
monitoring-col-hour = Ora
monitoring-col-when = Quando
monitoring-col-failures = Falliti
monitoring-check-ok = riuscito
monitoring-check-failed = fallito
monitoring-no-checks = Nessun controllo in questo periodo.
monitoring-field-code = Codice
monitoring-code-hint = Lettere, cifre, '-', '_' o '.'; il nome del controllo nel file dei controlli e nell'API.
monitoring-code-stays = Il codice non cambia.
monitoring-field-name = Nome
monitoring-field-kind = Tipo di controllo
monitoring-field-target = Destinazione
monitoring-target-hint = http: un URL; tcp e tls: host:porta; dns: nome TIPO; smtp e imap: smtp://host o imaps://host.
monitoring-field-interval = Intervallo
monitoring-interval-hint = Come "60 seconds" o "5 minutes": tra 10 secondi e 1 giorno.
monitoring-field-timeout = Timeout
monitoring-field-keyword = Parola chiave
monitoring-keyword-hint = Testo che la pagina, la risposta DNS o il saluto del server di posta deve contenere (facoltativo).
monitoring-field-cert-days = Avviso certificato (giorni prima della scadenza)
monitoring-field-subscription = Servizio (numero dell'abbonamento)
monitoring-subscription-hint = Vuoto per la nostra infrastruttura.
monitoring-field-options = Opzioni
monitoring-field-active = Controllato
monitoring-field-public = Sulla pagina di stato pubblica
monitoring-field-notify = Il cliente viene informato dei guasti
monitoring-save = Salva
monitoring-err-month = Scegliete un mese come 2026-11.
monitoring-err-duration = Scrivete una durata come "60 seconds", "5 minutes" o "1 hour".
monitoring-err-interval = Un intervallo è compreso tra 10 secondi e 1 giorno.
monitoring-err-timeout = Un timeout è compreso tra 1 e 60 secondi ed è più breve dell'intervallo.
