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
