# Loket — Italiano.

app-name = Loket
nav-home = Inizio
nav-language = Lingua
nav-main = Menu principale
nav-dashboard = Riepilogo
nav-billing = Fatture e servizi
dash-title = Benvenuto, { $name }
dash-no-cards = Il vostro account non è ancora collegato a un cliente. Chiedete un invito al titolare dell'account cliente, oppure scrivete a { $email }.
dash-overdue = { $count ->
    [one] fattura scaduta
   *[other] fatture scadute
}
dash-open = { $count ->
    [one] fattura da pagare
   *[other] fatture da pagare
}
dash-offers = { $count ->
    [one] rinnovo in attesa della vostra scelta
   *[other] rinnovi in attesa della vostra scelta
}
dash-services = { $count ->
    [one] servizio
   *[other] servizi
}
dash-suspended = { $count } sospesi
dash-offer = { $plan } ({ $service }) termina dopo il { $until }, a meno che non lo rinnoviate.
dash-offer-decide = Scegli ora
dash-notes = Ultimi messaggi
dash-to-billing = Fatture e abbonamenti
dash-to-card = Dati cliente
dash-to-users = Utenti
col-actions = Azioni
nav-skip = Vai al contenuto
footer-powered = Funziona con Loket
label-coc = N. REA
label-vat = Partita IVA
label-iban = IBAN

home-title = Benvenuti da { $provider }
home-intro = Questa è l'area clienti di { $provider }. Qui trovate fatture, abbonamenti e dati cliente.
home-contact = Domande? Scrivete a { $email }.

error-not-found-title = Pagina non trovata
error-not-found-text = La pagina richiesta non esiste o è stata spostata.
error-internal-title = Si è verificato un errore
error-internal-text = Non è stato possibile completare la richiesta. Riprovate tra poco; se il problema persiste, contattateci indicando il riferimento { $reference }.
error-bad-request-title = Non è stato possibile elaborare la richiesta
error-back-home = Torna alla pagina iniziale

mail-greeting = Gentile Cliente,
mail-signature = Cordiali saluti,
mail-automatic = Questo messaggio è stato inviato automaticamente dall'area clienti di { $provider }.
mail-test-subject = Messaggio di prova da { $provider }
mail-test-body = Questo è un messaggio di prova. Se riuscite a leggerlo, Loket può inviare e-mail per conto di { $provider }.
mail-test-sent-at = Composto il { $when }.
mail-welcome-subject = Loket è pronto per { $provider }
mail-welcome-body = Loket è stato installato per { $provider }. I clienti raggiungono l'area clienti su { $url }.

signin-title = Accedi
signin-email = Indirizzo e-mail
signin-password = Password
signin-submit = Accedi
signin-forgot = Password dimenticata?
signin-failed = L'indirizzo e-mail o la password non sono corretti.
signin-throttled-account = Troppi tentativi falliti per questo account. Riprovate tra { $minutes } minuti, oppure impostate una nuova password.
signin-throttled-ip = Troppi tentativi falliti dalla vostra rete. Riprovate tra { $minutes } minuti.
signout = Esci
signout-everywhere = Esci da tutti i dispositivi
forgot-title = Password dimenticata?
forgot-intro = Inserite il vostro indirizzo e-mail. Vi invieremo un link per impostare una nuova password.
forgot-submit = Invia link
forgot-sent = Se esiste un account per { $email }, vi abbiamo inviato un link per impostare una nuova password. Il link funziona una sola volta, per un'ora.
reset-title = Imposta una nuova password
reset-password = Nuova password
reset-submit = Salva password
reset-invalid = Questo link è scaduto o è già stato usato. Richiedetene uno nuovo.
reset-done = La password è stata cambiata e siete stati disconnessi ovunque. Accedete con la nuova password.
password-rule = Almeno 10 caratteri.
account-title = Il mio account
account-cards = Schede cliente
account-role = Ruolo
account-staff = Siete personale ({ $role }) di { $provider }.
role-owner = Titolare
role-billing = Referente amministrativo
role-technical = Referente tecnico
role-contact = Persona di contatto
staff-customers-title = Clienti
staff-search = Cerca
customer-number = Numero
customer-name = Nome
customer-email = E-mail
customer-kind = Tipo
customer-kind-business = Azienda
customer-kind-consumer = Privato
customer-country = Paese
customer-tier = Livello
customer-vat = Partita IVA
customer-address = Indirizzo
customer-invoice-email = E-mail per le fatture
customer-payment = Metodo di pagamento
customer-none = Nessun cliente trovato.
error-forbidden-title = Accesso negato
error-forbidden-text = Non avete accesso a questa pagina.
mail-password-reset-subject = Nuova password per { $provider }
mail-password-reset-body = Qualcuno, probabilmente voi, ha chiesto di impostare una nuova password per il vostro account presso { $provider }. Questo link funziona una sola volta, entro un'ora:
mail-password-reset-ignore = Se non l'avete chiesto voi, ignorate questo messaggio: la password resta invariata.
field-legal_name = Ragione sociale
field-trading_name = Nome commerciale
field-street = Via e numero civico
field-postal_code = CAP
field-city = Città
field-country = Paese
field-email = E-mail
field-invoice_email = E-mail per le fatture
field-phone = Telefono
field-language = Lingua
field-payment_method = Modalità di pagamento
field-iban = IBAN
field-wants_invoice_reminder = Avvisatemi 30 giorni prima della prossima fattura
field-requires_second_factor = Accesso in due passaggi obbligatorio per tutti gli utenti
field-wants_ubl_attachment = Allegare la fattura elettronica UBL (Peppol) a ogni e-mail di fattura
field-vat_number = Partita IVA
field-coc_number = N. REA / Camera di Commercio
field-tax_code = Codice fiscale
field-sdi_code = Codice destinatario (SDI)
field-pec = PEC
field-kind = Tipo
card-edit = Modifica dati
card-edit-title = Modifica i dati di { $name }
card-edit-intro = Le modifiche ai campi con * vengono prima verificate da { $provider }. Le altre valgono subito. Le fatture già inviate non cambiano. L'identità fiscale (partita IVA, numero REA, codice fiscale) non si modifica qui: chiedeteci una nuova scheda cliente.
card-reviewed-mark = soggetto a verifica
card-confirm-password = La vostra password attuale, per conferma
card-save = Salva modifiche
card-saved = Le modifiche sono state salvate.
card-requested = La richiesta di modifica è stata inviata; vi avviseremo quando sarà stata verificata.
card-nothing = Non è stato modificato nulla.
card-wrong-password = La password non è corretta.
card-changes = Richieste di modifica
cr-state-pending = In attesa di verifica
cr-state-approved = Approvata
cr-state-rejected = Respinta
cr-field = Campo
cr-from = Era
cr-to = Diventa
cr-queue-title = Richieste di modifica da verificare
cr-approve = Approva
cr-reject = Respingi
cr-reason = Motivo (obbligatorio per respingere)
cr-none = Nessuna richiesta di modifica in attesa.
mail-change-request-received-subject = Abbiamo ricevuto la vostra richiesta di modifica
mail-change-request-received-body = Abbiamo ricevuto la richiesta di modificare i dati del cliente ({ $customer }). La verificheremo e vi faremo sapere.
mail-change-request-staff-subject = Richiesta di modifica da { $customer }
mail-change-request-staff-body = { $user } chiede di modificare i dati del cliente ({ $customer }). Verificatela su { $url }
mail-change-request-decided-subject = La vostra richiesta di modifica è stata verificata
mail-change-approved-body = La modifica richiesta dei dati di { $customer } è stata approvata e applicata. I documenti emessi da ora riportano i nuovi dati.
mail-change-rejected-body = La modifica richiesta dei dati di { $customer } è stata respinta. Motivo: { $reason }
members-title = Utenti di questa scheda
replace-title = Nuova scheda cliente
replace-intro = Quando cambia l'identità fiscale (altra partita IVA o società, un privato che diventa azienda), create una nuova scheda. La vecchia scheda e la sua storia restano; scegliete chi passa alla nuova.
replace-move = Sposta { $user } sulla nuova scheda
replace-submit = Crea la nuova scheda
replace-done = Questa scheda è stata sostituita da una nuova.
twostep-title = Accesso in due passaggi
twostep-intro = Inserite il codice di 6 cifre dell'app di autenticazione, oppure uno dei codici di recupero.
twostep-code = Codice
twostep-wrong = Il codice non è corretto, oppure è già stato usato.
twostep-setup-title = Accesso in due passaggi
twostep-setup-intro = Aggiungete questa chiave all'app di autenticazione (oppure apritevi l'indirizzo otpauth qui sotto), poi inserite il codice che mostra.
twostep-enable = Attiva
twostep-disable = Disattiva
twostep-enabled = L'accesso in due passaggi è attivo.
twostep-required = Per il vostro account l'accesso in due passaggi è obbligatorio. Configuratelo per continuare.
twostep-recovery-intro = Conservate questi codici di recupero in un luogo sicuro. Ognuno funziona una volta al posto di un codice, se perdete il telefono. Vengono mostrati solo ora.
twostep-recovery-left = Avete ancora { $count } codici di recupero inutilizzati.
members-remove = Rimuovi da questa scheda
staff-invite-title = Invita un utente
staff-invite-intro = La persona riceve un'e-mail con un link, valido una settimana, per creare un accesso a questo cliente. Così un cliente creato da voi riceve il suo titolare.
staff-invite-sent = È stato inviato un invito a { $email }.
invite-title = Invito
invite-submit = Invia invito
invite-intro = Siete invitati a { $customer } come { $role }, con l'indirizzo { $email }.
invite-accept = Accetta l'invito
invite-sign-in = Accedete per accettare
invite-other-user = Avete effettuato l'accesso come { $email }: uscite e accettate con l'indirizzo invitato.
invite-invalid = Questo invito è scaduto o è già stato usato.
perm-invoices-view = Vedere le fatture
perm-invoices-pay = Pagare le fatture
perm-services-manage = Gestire servizi e ordini
perm-helpdesk-use = Aprire e leggere ticket
perm-company-edit = Modificare i dati aziendali
perm-users-manage = Gestire gli utenti
mail-invitation-subject = Invito a { $customer } presso { $provider }
mail-invitation-body = { $inviter } vi invita a { $customer } nell'area clienti di { $provider }. Il link funziona una sola volta, per una settimana:
profile-title = Profilo
password-change-title = Cambia password
mail-billing-customer = Cliente: { $customer } (numero cliente { $customer_number })
mail-billing-portal-link = Può consultare le Sue fatture e i Suoi pagamenti nell'area clienti:
mail-billing-portal-button = Vedi le fatture
mail-billing-invoice-subject = { $kind ->
        [credit_note] Nota di credito { $number } da { $provider }
        [pro_forma] Richiesta di pagamento { $number } da { $provider }
       *[other] Fattura { $number } da { $provider }
    }
mail-billing-invoice-body-invoice = Abbiamo emesso la fattura { $number } per un importo di { $amount }.
mail-billing-invoice-body-credit_note = Abbiamo emesso la nota di credito { $number } per un importo di { $amount }.
mail-billing-invoice-credits = Questa nota di credito rettifica la fattura { $credits }.
mail-billing-invoice-body-pro_forma = Abbiamo emesso la richiesta di pagamento { $number } per un importo di { $amount }. Si tratta di una fattura proforma: non appena avremo ricevuto il Suo pagamento, Le invieremo la fattura definitiva.
mail-billing-invoice-due = L'importo è da pagare entro il { $due_date }.
mail-billing-invoice-due-partial = Dopo la compensazione con il Suo credito, restano da pagare { $open } entro il { $due_date }.
mail-billing-invoice-pay-link = Visualizza e paga questa fattura nella tua area clienti:
mail-billing-invoice-settled = Non deve pagare nulla: l'importo è già stato saldato per intero.
mail-billing-payment-subject = Pagamento di { $amount_text } ricevuto
mail-billing-payment-body = La ringraziamo per il pagamento di { $amount }, che abbiamo ricevuto il { $received }.
mail-billing-payment-applied = Lo abbiamo imputato alle seguenti fatture:
mail-billing-payment-credit = L'importo di { $to_credit } è stato aggiunto al Suo credito e verrà utilizzato per la prossima fattura.
mail-billing-reminder-subject = Promemoria di pagamento: fattura { $number }
mail-billing-reminder-body = Dai nostri registri risulta che la fattura { $number } non è ancora stata pagata per intero: restano da pagare { $amount }. La scadenza era il { $due_date }.
mail-billing-reminder-repeat = Le abbiamo già ricordato questa fattura in precedenza.
mail-billing-reminder-request = La preghiamo di effettuare il pagamento al più presto. Se nel frattempo ha già provveduto, non tenga conto di questo messaggio. Per qualsiasi domanda sulla fattura, non esiti a contattarci.
mail-billing-suspended-subject = Servizi sospesi: fattura { $number } non pagata
mail-billing-suspended-body = Poiché la fattura { $number } non è ancora stata pagata (importo dovuto: { $amount }), abbiamo sospeso i Suoi servizi.
mail-billing-suspended-restore = Riattiveremo i Suoi servizi non appena avremo ricevuto il pagamento. Potrebbe essere addebitato un costo di riattivazione.
mail-billing-terminated-subject = Contratto risolto: fattura { $number } non pagata
mail-billing-terminated-body = Poiché la fattura { $number } resta non pagata, abbiamo risolto il Suo contratto e cessato i relativi servizi.
mail-billing-terminated-due = L'importo di { $amount } resta comunque dovuto.
mail-billing-terminated-contact = Se ritiene che si tratti di un errore, La preghiamo di contattarci al più presto.
mail-billing-reactivated-subject = I Suoi servizi sono di nuovo attivi
mail-billing-reactivated-body = Abbiamo riattivato i Suoi servizi, che sono di nuovo disponibili.
mail-billing-reactivated-fee = Il costo di riattivazione è stato addebitato con la fattura { $fee_invoice }.
mail-billing-cancellation-subject = Disdetta di { $plan } confermata
mail-billing-cancellation-body = Le confermiamo la disdetta di { $service }, che abbiamo ricevuto il { $received }. L'ultimo giorno del servizio è il { $last_day }.
mail-billing-cancellation-late = La disdetta ci è pervenuta dopo il termine di preavviso del periodo in corso ({ $missed }); per questo ha effetto alla fine di un periodo successivo.
mail-billing-cancellation-until = Fino ad allora il servizio prosegue normalmente.
mail-billing-renewal-offer-subject = { $plan }: ultimo giorno { $last_day_text } — desidera rinnovare?
mail-billing-renewal-offer-body = Il Suo abbonamento { $service } è valido fino al { $last_day } compreso.
mail-billing-renewal-offer-renew = Desidera mantenerlo? Può rinnovarlo per un altro periodo, fino al { $next_last_day } compreso, al prezzo di { $price } per periodo di fatturazione, tramite questo link:
mail-billing-renewal-offer-button = Rinnova fino al { $next_last_day }
mail-billing-renewal-offer-lapse = Se non rinnova, l'abbonamento termina dopo il { $last_day }, senza che Lei debba fare nulla. Senza il Suo consenso non effettuiamo alcun rinnovo.
mail-billing-renewed-subject = Rinnovo di { $plan } confermato
mail-billing-renewed-body = Le confermiamo che il Suo abbonamento { $service } è stato rinnovato. Ora è valido fino al { $last_day } compreso.
mail-billing-lapsed-subject = Abbonamento { $plan } terminato
mail-billing-lapsed-body = Il Suo abbonamento { $service } non è stato rinnovato; l'ultimo giorno del servizio è stato il { $last_day }.
mail-billing-lapsed-again = Desidera utilizzare di nuovo il servizio? Non esiti a contattarci.
mail-billing-upcoming-subject = Prossima fattura per { $plan } il { $date_text }
mail-billing-upcoming-body = Il { $date } fattureremo { $amount } per il Suo abbonamento { $service }, per il periodo dal { $from } al { $to }.
mail-billing-upcoming-why = Riceve questo avviso perché lo ha richiesto. Può disattivarlo nei Suoi dati nell'area clienti.
billing-title = Fatturazione
billing-link = Abbonamenti e fatture
billing-back = Torna alla fatturazione
billing-back-to-card = Torna alla scheda cliente
billing-period = dal { $from } al { $to }
billing-subscriptions = Abbonamenti
billing-no-subscriptions = Non ci sono abbonamenti su questa scheda.
billing-col-plan = Servizio
billing-col-state = Stato
billing-col-price = Prezzo per periodo
billing-col-term = Periodo contrattuale in corso
billing-col-next-invoice = Prossima fattura
billing-col-notice = Disdetta o rinnovo
billing-state-pending_payment = In attesa di pagamento
billing-state-active = Attivo
billing-state-renewal_offered = Rinnovo proposto
billing-state-cancellation_requested = Disdetto
billing-state-suspended = Sospeso
billing-state-ended = Cessato
billing-state-lapsed = Cessato (non rinnovato)
billing-state-terminated = Risolto
billing-price-net = { $amount } IVA esclusa
billing-next-invoice = { $date }: { $amount } IVA esclusa
billing-cancel-before = Disdetta entro il { $date }; l'ultimo giorno del servizio sarà il { $last_day }
billing-cancel-how = Per disdire scriveteci ({ $ways }): { $email }, oppure { $address }.
billing-renew-before = Rinnovo entro il { $date }
billing-add-on-to = opzione aggiuntiva di { $service }, fatturata insieme
billing-ends-on = Ultimo giorno: { $date }
billing-renew = Rinnova
billing-cancel = Disdici…
billing-cancel-explain = Una disdetta ricevuta entro il termine chiude l'abbonamento alla fine del periodo in corso; una più tarda alla fine del periodo successivo. Confermiamo subito la data.
billing-cancel-submit = Conferma la disdetta
billing-cancel-effect = Se disdite oggi, l'ultimo giorno del servizio è il { $last_day }.
billing-cancel-title = Disdire { $service }
billing-cancel-keep = Non disdire
billing-see-document = Vedi documento
billing-credit = Il tuo credito è di { $amount }. Lo utilizziamo per le prossime fatture.
billing-pending-title = Per la prossima fattura
billing-pending-intro = Lavori e altri importi una tantum registrati dopo l'ultima fattura. Saranno nella prossima fattura.
billing-pending-what = Cosa
billing-pending-amount-net = Importo IVA esclusa
billing-pending-amount-gross = Importo IVA inclusa
billing-repeatedly-late = Questo cliente paga ripetutamente in ritardo.
billing-invoices = Fatture
billing-no-invoices = Non ci sono ancora fatture.
billing-col-number = Numero
billing-col-kind = Tipo
billing-col-date = Data
billing-col-due = Scadenza
billing-col-amount = Importo
billing-col-open = Da pagare
billing-kind-invoice = Fattura
billing-kind-credit_note = Nota di credito
billing-kind-pro_forma = Richiesta di pagamento
billing-doc-open = Aperta
billing-doc-paid = Pagata
billing-doc-converted = Pagata, fattura emessa
billing-doc-settled = Compensata
billing-notifications = Messaggi
billing-no-notifications = Non ci sono messaggi.
billing-note-invoice_issued = { $kind_text } { $number } emessa: { $amount }, scadenza { $due_date }.
billing-note-credit_note_issued = Nota di credito { $number } emessa: { $amount }, a storno della fattura { $credits }.
billing-note-payment_received = Pagamento di { $amount } ricevuto il { $received }.
billing-note-reminder = Sollecito: sulla fattura { $number } restano da pagare { $amount }.
billing-note-suspended = Servizi sospesi perché la fattura { $number } non è stata pagata.
billing-note-terminated = Contratto risolto perché la fattura { $number } non è stata pagata.
billing-note-reactivated = I tuoi servizi sono di nuovo attivi.
billing-note-cancellation_confirmed = Disdetta di { $service } confermata; l'ultimo giorno del servizio è il { $last_day }.
billing-note-renewal_offer = { $service } termina dopo il { $last_day }, se non lo rinnovi.
billing-note-renewed = { $service } rinnovato fino al { $last_day } compreso.
billing-note-lapsed = { $service } non è stato rinnovato; l'ultimo giorno è stato il { $last_day }.
billing-note-upcoming_invoice = Il { $date } fattureremo { $amount } per { $service }.
billing-cancelled-title = Disdetta ricevuta
billing-cancelled-text = { $service }: l'ultimo giorno del servizio è il { $last_day }. Ti abbiamo inviato una conferma.
billing-cancelled-late = La tua disdetta è arrivata dopo il termine del periodo in corso ({ $deadline }), quindi ha effetto alla fine di un periodo successivo.
billing-cancel-conflict = Questo abbonamento non può essere disdetto: è già stato disdetto o è cessato.
billing-cancel-failed = Non è stato possibile registrare la disdetta
billing-renewed-title = Abbonamento rinnovato
billing-renewed-text = { $service } è stato rinnovato fino al { $last_day } compreso.
billing-renew-conflict = Questo abbonamento non può essere rinnovato: si rinnova automaticamente oppure è cessato.
billing-renew-failed = Non è stato possibile registrare il rinnovo
billing-failed-text = Non è stato modificato nulla. Il motivo:
renew-title = Rinnova il tuo abbonamento
renew-runs-until = { $service } è attivo fino al { $until } compreso.
renew-intro = Rinnovare { $service } per un altro periodo, a { $price } per periodo di fatturazione?
renew-submit = Rinnova
renew-invalid = Questo link di rinnovo è scaduto o è già stato usato. Consulta i tuoi abbonamenti nel portale clienti.
renew-not-allowed = Questo link di rinnovo riguarda una scheda cliente di cui non puoi gestire i servizi. Accedi come utente di quella scheda autorizzato a gestire i servizi.
renew-already = { $service } è già rinnovato: è attivo fino al { $until } compreso. Non c'è altro da fare.
payment-title = Registra un pagamento
payment-recorded = Il pagamento è stato registrato.
payment-invoice = Fattura
payment-invoice-oldest = Prima le fatture aperte più vecchie
payment-amount = Importo (ad es. 121,00)
payment-method = Modalità
payment-method-bank-transfer = Bonifico
payment-method-direct-debit = Addebito diretto
payment-method-online = Pagamento online
payment-method-credit = Dal credito
payment-received-on = Ricevuto il
payment-reference = Riferimento (facoltativo)
payment-submit = Registra il pagamento
invoice-from = Da
invoice-to = A
invoice-customer-number = Codice cliente
invoice-credits = Questa nota di credito rettifica la fattura
invoice-issue-date = Data
invoice-due-date = Scadenza
invoice-reference = Causale di pagamento
invoice-lines = Righe
invoice-col-description = Descrizione
invoice-col-period = Periodo di utilizzo
invoice-col-quantity = Quantità
invoice-col-unit-price = Prezzo unitario
invoice-col-vat-rate = Aliquota IVA
invoice-col-net = Imponibile
invoice-vat-breakdown = IVA
invoice-col-vat-category = Regime IVA
invoice-col-taxable = Imponibile
invoice-col-vat = Imposta
invoice-net = Totale imponibile
invoice-vat = IVA
invoice-gross = Totale
invoice-credited = Stornato
invoice-paid = Pagato
invoice-open = Da pagare
invoice-pay-text = Ti preghiamo di versare { $amount } entro il { $due_date } su { $iban }, indicando la causale { $reference }.
vat-code-S = IVA
vat-code-Z = Aliquota zero
vat-code-AE = Inversione contabile
vat-code-E = Esente IVA
vat-code-O = Fuori campo IVA
mail-billing-ended-subject = { $plan } è terminato
mail-billing-ended-body = Abbiamo interrotto il Suo abbonamento { $service }. L'ultimo giorno del servizio è il { $last_day }. Quanto fatturato per il periodo successivo viene stornato.
billing-note-ended = { $service } è terminato; l'ultimo giorno del servizio è il { $last_day }.
billing-price-gross = { $amount } IVA inclusa
billing-next-invoice-gross = { $date }: { $amount } IVA inclusa
billing-doc-credited = Stornata
billing-doc-void = Annullata

# Words the billing engine writes on documents itself.
doc-line-setup = Attivazione: { $service }
doc-line-reactivation-fee = Riattivazione dei servizi sospesi
doc-line-deposit = { $project } — acconto { $percent }%
doc-line-balance = { $project } — saldo
doc-line-credit = Storno: { $line } ({ $reason })
doc-reason-ended = il servizio termina dopo il { $date }
doc-reason-downgrade = { $plan } dal { $date }
service-title = Servizio
service-since = Attivo dal
service-last-day = Ultimo giorno
service-usage = Utilizzo di spazio e traffico dati
service-range = Periodo mostrato
service-days = Ultimi { $days } giorni
service-storage = Spazio occupato
service-traffic = Traffico dati al giorno
service-weekly-peaks = Su un anno, ogni punto dei grafici è il giorno più alto della sua settimana.
service-traffic-day = traffico dati del { $day }
service-of-quota = { $percent } % di { $quota }
service-quota = Limite { $amount }
service-peak = Massimo { $amount }
service-per-month = Per mese
service-month = Mese
service-storage-peak = Spazio (massimo)
service-traffic-total = Traffico dati (totale)
service-days-measured = Giorni misurati
service-no-usage = Per questo servizio non è ancora stato misurato alcun utilizzo in questo periodo.
service-back = Torna a fatture e servizi
billing-usage = Utilizzo
billing-record-cancel = Registra disdetta…
billing-record-cancel-title = Registra la disdetta di { $service }
billing-record-cancel-explain = Per una disdetta arrivata via e-mail, lettera, raccomandata o telefono: indicate il giorno di ricezione. Le condizioni del contratto stabiliscono quando ha effetto, e il cliente riceve una conferma.
billing-received-on = Ricevuta il
billing-sent-on = Spedita il (timbro postale della lettera)
billing-sent-on-help = Facoltativo. Le condizioni che contano una lettera dal giorno di spedizione valutano il preavviso su questa data.
billing-channel = Ricevuta tramite
billing-channel-email = E-mail
billing-channel-portal = Area clienti
billing-channel-letter = Lettera
billing-channel-registered_letter = Raccomandata
billing-channel-phone = Telefono
billing-record-cancel-submit = Registra la disdetta
billing-cancellation-recorded = Disdetta di { $service } registrata.
country-AT = Austria
country-BE = Belgio
country-BG = Bulgaria
country-CH = Svizzera
country-CY = Cipro
country-CZ = Cechia
country-DE = Germania
country-DK = Danimarca
country-EE = Estonia
country-ES = Spagna
country-FI = Finlandia
country-FR = Francia
country-GB = Regno Unito
country-GR = Grecia
country-HR = Croazia
country-HU = Ungheria
country-IE = Irlanda
country-IT = Italia
country-LT = Lituania
country-LU = Lussemburgo
country-LV = Lettonia
country-MT = Malta
country-NL = Paesi Bassi
country-NO = Norvegia
country-PL = Polonia
country-PT = Portogallo
country-RO = Romania
country-SE = Svezia
country-SI = Slovenia
country-SK = Slovacchia
country-SM = San Marino
country-US = Stati Uniti
country-VA = Città del Vaticano
field-name = Nome
card-payment-invoice = Con fattura (bonifico)
card-payment-direct_debit = Addebito diretto SEPA
card-payment-online = Pagamento online
invoices-title = Fatture
invoices-search = Cerca
invoices-number = Il numero inizia con
invoices-any = Tutti
invoices-from = Emesse dal
invoices-to = Emesse fino al
invoices-min = Importo da
invoices-max = Importo fino a
invoices-clear = Azzera la ricerca
invoices-none = Nessun documento trovato.
invoices-first-page = Prima pagina
invoices-next-page = Documenti precedenti
invoices-all = Tutte le fatture
invoices-field-q = Numero
invoices-field-state = Stato
invoices-field-from = Emesse dal
invoices-field-to = Emesse fino al
invoices-field-min = Importo da
invoices-field-max = Importo fino a
invoices-field-before = Pagina
staff-dash-title = Lavoro da fare
staff-search-hint = Nome, e-mail, partita IVA, numero di fattura o dominio
staff-dash-changes = { $count ->
    [one] richiesta di modifica da esaminare
   *[other] richieste di modifica da esaminare
}
staff-dash-overdue = { $count ->
    [one] fattura scaduta
   *[other] fatture scadute
}
staff-dash-renewals = { $count ->
    [one] offerta di rinnovo in attesa del cliente
   *[other] offerte di rinnovo in attesa del cliente
}
staff-dash-dead-jobs = { $count ->
    [one] attività fallita a ogni tentativo
   *[other] attività fallite a ogni tentativo
}
staff-dash-oldest-overdue = Scadute da più tempo
staff-dash-days-late = Giorni di ritardo
staff-dash-dead-jobs-help = Alcune attività in background (posta, fatturazione) sono fallite a ogni tentativo. Vedetele con `loket jobs list --state dead` e riprovate con `loket jobs retry ID` dopo averne risolto la causa.
staff-found-invoices = Documenti per numero
staff-found-services = Servizi per dominio o nome
mail-quote-sent-subject = Preventivo { $number } da { $provider }
mail-quote-sent-body = Abbiamo preparato per voi il preventivo { $number }: { $total }, valido fino al { $valid_until }.
mail-quote-vat-included = L'importo è comprensivo di IVA.
mail-quote-vat-excluded = L'importo è al netto dell'IVA.
mail-quote-sent-decide = Consultate il preventivo e accettatelo o rifiutatelo nell'area clienti:
mail-quote-decided-subject = Preventivo { $number } deciso da { $customer }
mail-quote-accepted-body = { $customer } ha accettato il preventivo { $number }. I servizi sono attivi e il lavoro una tantum andrà nella prossima fattura.
mail-quote-rejected-body = { $customer } ha rifiutato il preventivo { $number }.
mail-quote-comment = Il loro commento:
quotes-title = Preventivi
quotes-number = Preventivo
quotes-valid-until = Valido fino al
quotes-none = Ancora nessun preventivo.
quotes-back = Tutti i preventivi
quote-title = Preventivo { $number }
quote-status-sent = In attesa della vostra scelta
quote-status-accepted = Accettato
quote-status-rejected = Rifiutato
quote-status-withdrawn = Ritirato
quote-status-expired = Scaduto
quote-decided-on = Deciso il
quote-per-period = per { $period }
quote-setup-fee = più un costo di attivazione una tantum di { $amount }
quote-see-service = Vedi il servizio
quote-first-invoice = I totali sono la prima fattura: un periodo di fatturazione di ogni servizio, il costo di attivazione e il lavoro una tantum. Per ogni servizio valgono le condizioni del contratto.
quote-comment = Commento
quote-decide = La vostra scelta
quote-decide-explain = Potete accettare questo preventivo fino al { $valid_until }. Accettandolo ordinate subito i servizi: partono oggi, e il lavoro va nella prossima fattura.
quote-comment-label = Commento (facoltativo)
quote-accept = Accetta e ordina
quote-reject = Rifiuta
quote-new = Nuovo preventivo
quote-note = Nota per il cliente
quote-lines-explain = Ogni riga è un servizio su un piano (per cosa, e un prezzo per periodo solo se diverso da quello del piano) oppure un lavoro una tantum (descrizione, quantità, prezzo unitario IVA esclusa). Le righe vuote vengono ignorate.
quote-line = Riga { $n }
quote-plan = Servizio (piano)
quote-label = Per (dominio, sito)
quote-price = Prezzo per periodo
quote-work = Oppure lavoro una tantum
quote-send = Crea e invia il preventivo
billing-quotes = Preventivi
dash-quotes = { $count ->
    [one] preventivo in attesa della vostra scelta
   *[other] preventivi in attesa della vostra scelta
}
per-month = mese
per-quarter = trimestre
per-year = anno
period-months = { $n ->
    [1] 1 mese
   *[other] { $n } mesi
}
period-years = { $n ->
    [1] 1 anno
   *[other] { $n } anni
}
period-days = { $n ->
    [1] 1 giorno
   *[other] { $n } giorni
}
mail-order-confirmed-subject = Il vostro ordine presso { $provider }
mail-order-body = Grazie per il vostro ordine: { $service }. Il servizio inizia il { $start }.
mail-order-pay-first = Questo servizio si paga in anticipo: riceverete una richiesta di pagamento, e il servizio inizia appena è pagato.
mail-order-withdrawal = Come consumatori potete recedere da questo ordine entro 14 giorni senza indicarne il motivo; per questo il servizio inizia il { $start }. Per recedere rispondete a questa e-mail.
mail-order-withdrawal-waived = Ci avete chiesto di iniziare subito. Potete ancora recedere entro 14 giorni; pagherete allora la parte del servizio già fornita.
order-title = Ordina un servizio
order-intro = Scegliete un servizio. Prezzo e condizioni del contratto sono mostrati prima di qualsiasi conferma.
order-first-term = Prima durata: { $period }.
order-renews = Poi rinnovato ogni volta per { $period }, salvo disdetta in tempo.
order-opt-in = Ogni durata termina a meno che scegliate di rinnovarla, ogni volta per { $period }; ve lo chiediamo prima della scadenza.
order-anchor = Le durate terminano ogni anno il { $date }.
order-notice = Disdetta con { $notice } di preavviso sulla fine di una durata, tramite { $channels }.
order-notice-days = { $n ->
    [1] 1 giorno
   *[other] { $n } giorni
}
order-notice-months = { $n ->
    [1] 1 mese di calendario
   *[other] { $n } mesi di calendario
}
order-invoiced = Fatturato per { $period } in anticipo; pagamento entro { $days } giorni.
order-price-gross = { $amount } per { $period } IVA inclusa
order-price-net = { $amount } per { $period } IVA esclusa
order-pay-first = Da pagare in anticipo: riceverete una richiesta di pagamento, e il servizio inizia appena è pagato.
order-label = Per (nome di dominio o sito)
order-label-hint = es. esempio.it
order-add-on-to = Per quale dei vostri servizi
order-add-on-hint = Viene fatturata insieme a quel servizio: i primi giorni sulla sua prossima fattura, poi periodo per periodo con esso; termina quando termina quel servizio.
order-continue = Continua
order-review = Controllate il vostro ordine
order-terms = Condizioni del contratto
order-withdrawal-title = Quando deve iniziare il servizio?
order-withdrawal-explain = Come consumatori potete recedere da un ordine a distanza entro 14 giorni senza indicarne il motivo. Se ci chiedete di iniziare subito e poi recedete, pagate la parte già fornita.
order-start-later = Dopo il periodo di recesso, il { $date }
order-start-now = Subito, il { $date }: vi chiedo di iniziare durante il periodo di recesso
order-confirm = Ordina con obbligo di pagamento
order-back = Torna a tutti i servizi
order-done = Grazie per il vostro ordine
order-done-text = { $service } inizia il { $date }.
order-done-mail = Vi abbiamo inviato una conferma per e-mail.
billing-order = Ordina un servizio
notices-title = Messaggi
notices-unread = { $count ->
    [0] Nessun messaggio da leggere.
    [1] 1 messaggio da leggere.
   *[other] { $count } messaggi da leggere.
}
notices-new = Nuovo
notices-mark-all = Segna tutti come letti
notices-mark-one = Segna come letto
notices-mail-title = Per e-mail
notices-mail-explain = Fatture, solleciti di pagamento, sospensioni, conferme di disdetta e offerte di rinnovo arrivano sempre per e-mail. Scegliete quali altri messaggi volete ricevere anche per e-mail:
notices-kind-payment_received = È stato ricevuto un pagamento
notices-kind-renewed = Un servizio è stato rinnovato
notices-kind-upcoming_invoice = Sta per arrivare una fattura (se avete chiesto il promemoria)
notices-kind-ended = Un servizio è terminato
notices-kind-lapsed = Un servizio è terminato perché non è stato rinnovato
dash-unread = { $count ->
    [1] 1 messaggio da leggere
   *[other] { $count } messaggi da leggere
}
staff-new-customer = Nuovo cliente
staff-new-customer-submit = Crea la scheda cliente
staff-new-subscription = Nuovo abbonamento
staff-start-date = Inizia il
staff-price-optional = solo se diverso dal piano
staff-add-on-to = Opzione aggiuntiva di
staff-add-on-none = nessuno: un servizio a sé
staff-new-subscription-submit = Avvia l'abbonamento
mail-payment-chargeback-staff-subject = Storno: { $number } è di nuovo aperta
mail-payment-chargeback-staff-body = La banca di { $customer } ha stornato { $amount } pagati online per { $number }. La fattura è di nuovo aperta; vedi { $url }
mail-payment-chargeback-staff-reason = Motivo indicato dalla banca: { $reason }
mail-domain-contact-staff-subject = Modifica di un contatto di dominio: { $domain }
mail-domain-contact-staff-body = { $user } chiede di modificare { $role } di { $domain } presso il registro. Eseguitela e registratela su { $url }
mail-domain-contact-decided-subject = La vostra richiesta per { $domain }
mail-domain-contact-received-body = Abbiamo ricevuto la vostra richiesta di modificare { $role } di { $domain }. La eseguiamo presso il registro e vi avvisiamo quando è fatto. La modifica dei vostri dati cliente non modifica i contatti dei vostri domini.
mail-domain-contact-done-body = Abbiamo modificato { $role } di { $domain } presso il registro come richiesto.
mail-domain-contact-rejected-body = Non abbiamo modificato { $role } di { $domain }: { $reason }
domain-role-registrant = registrante (titolare)
domain-role-admin = contatto amministrativo
domain-role-tech = contatto tecnico
domain-contacts = Contatti presso il registro
domain-contacts-explain = Ogni dominio ha i propri contatti presso il registro, distinti dai vostri dati cliente: modificare i dati cliente non li modifica. Chiedete qui una modifica; la eseguiamo noi presso il registro.
domain-contact-none = Non registrato
domain-contact-change = Chiedi una modifica
domain-contact-submit = Invia la richiesta
domain-contact-sent = La richiesta è stata inviata. Vi avvisiamo per e-mail quando è stata eseguita presso il registro.
domain-contact-record = Registra come presso il registro
domain-requests = Modifiche richieste
domain-request-pending = in attesa
domain-request-done = eseguita
domain-request-rejected = rifiutata
domain-expires = Registrato fino al
field-organisation = Organizzazione
staff-domains = Modifiche dei contatti di dominio
staff-domains-none = Nessuna richiesta in attesa.
staff-domain-done = Eseguita presso il registro
staff-domain-reject = Rifiuta
staff-domain-decided = La richiesta è stata registrata.
dash-domains = Modifiche dei contatti di dominio
dash-expiring-domains = Domini in rinnovo
err-required = Compilate questo campo.
err-too-long = Usate al massimo { $max } caratteri.
err-control = Togliete i caratteri di controllo (come gli a capo).
err-email = Questo non è un indirizzo e-mail.
err-phone = Questo non è un numero di telefono: usate cifre, spazi e + - ( ).
err-iban = Questo non è un IBAN valido: controllate il numero.
err-country = Scegliete un paese.
err-date = Questa non è una data.
err-kvk = Un numero KvK ha 8 cifre.
err-vat = Questa non è una partita IVA valida: controllate il prefisso del paese e le cifre.
err-tax-code = Questo non è un codice fiscale valido.
err-sdi-code = Il codice destinatario ha 7 lettere e cifre, o 6 per un ufficio della pubblica amministrazione.
err-sdi-code-italy = Il codice destinatario è solo per i clienti in Italia.
err-ubl-business = La fattura elettronica UBL è per le imprese; un privato riceve le fatture in PDF.
err-positive = Inserite un importo maggiore di zero.
err-amount = Questo non è un importo: usate cifre con al massimo due decimali, ad esempio 72,42.
err-amount-range = Inserite un importo di al massimo 1.000.000.000,00.
err-yes-no = Scegliete sì o no.
err-order-label = Indicate a cosa serve il servizio: un nome di dominio o un sito.
err-choose-service = Scegliete un servizio dall'elenco.
err-order-key = Questo modulo d'ordine è scaduto: apritelo di nuovo.
nav-invoices = Fatture
nav-services = Servizi
nav-quotes = Preventivi
nav-order = Ordina
nav-card = I miei dati
nav-users = Utenti
nav-staff-domains = Domini
dash-domain-renews = registrato fino al { $date }, rinnovato automaticamente salvo disdetta
dash-domain-ends = registrato fino al { $date }, poi scade
mail-access-request-staff-subject = Accesso perso: richiesta di { $name }
mail-access-request-staff-body = { $name } ({ $email }, numero cliente { $number }) non ha più accesso e ha inviato un modulo firmato con un documento d'identità. Verificateli e decidete su { $url }
mail-access-request-received-subject = Abbiamo ricevuto la vostra richiesta
mail-access-request-received-body = Abbiamo ricevuto il modulo firmato e la scansione del documento d'identità. Li verifichiamo con i nostri dati e vi avvisiamo per e-mail. Se non avete inviato voi questa richiesta, contattateci subito.
mail-access-request-rejected-subject = La vostra richiesta di accesso
mail-access-request-rejected-body = Non abbiamo potuto ripristinare il vostro accesso: { $reason }
nav-staff-access = Accesso perso
access-title = Non riuscite più ad accedere?
access-intro = Se non potete più usare il vostro account, il suo indirizzo e-mail o il numero di telefono, ripristiniamo l'accesso appena sappiamo che siete voi.
access-step-form = Compilate questo modulo con il vostro nome, l'indirizzo e-mail che volete usare d'ora in poi e, se lo conoscete, il numero cliente.
access-step-sign = Stampate una richiesta che dica cosa va modificato, firmatela a mano e scansionatela (o fatene una foto nitida).
access-step-upload = Caricate la richiesta firmata e la scansione di un documento d'identità (passaporto, carta d'identità o patente), ciascuno un PDF, JPEG o PNG di al massimo { $mb } MB.
access-privacy = Usiamo le scansioni solo per verificare la richiesta e le cancelliamo dopo il nostro periodo di conservazione. Potete oscurare la foto e il numero personale sulla copia del documento.
access-field-name = Il vostro nome
access-field-email = Indirizzo e-mail per l'account
access-field-customer_number = Numero cliente (se lo conoscete)
access-field-message = Cosa dobbiamo modificare?
access-field-form = Richiesta firmata
access-field-identity = Documento d'identità
access-submit = Invia la richiesta
access-sent = Grazie. Abbiamo ricevuto la richiesta e vi avvisiamo per e-mail quando l'abbiamo verificata.
access-staff-title = Accesso perso
access-staff-none = Nessuna richiesta in attesa.
access-staff-decided = Decise di recente
access-staff-back = Tutte le richieste
access-col-sent = Inviata
access-card = Scheda cliente
access-scans = Scansioni
access-files-deleted = scansioni cancellate il { $date }
access-decide = Decisione
access-decide-help = Confrontate la firma e il documento d'identità con la scheda. Ripristinando, l'indirizzo riceve un link per reimpostare la password (e l'accesso in due passaggi viene disattivato) se ha già un accesso alla scheda, altrimenti un invito alla scheda come titolare.
access-restore = Ripristina l'accesso
access-reject = Rifiuta
access-state-pending = in attesa
access-state-restored = ripristinato
access-state-rejected = rifiutato
signin-lost-access = Non avete più accesso al vostro indirizzo e-mail?
err-scan-type = Inviate un file PDF, JPEG o PNG.
err-file-too-large = Il file supera { $max } MB.
access-done-reset = Accesso ripristinato: l'indirizzo ha ricevuto un link per impostare una nuova password; l'accesso in due passaggi è disattivato.
access-done-invited = Accesso ripristinato: l'indirizzo è stato invitato alla scheda come titolare.
access-done-rejected = La richiesta è stata rifiutata; il mittente ha ricevuto il motivo.
manual-title = Fattura manuale
manual-intro = Una riga singola per questo cliente, ad esempio un lavoro svolto o un servizio fuori catalogo. Fatturatela subito o lasciatela andare con la prossima fattura.
manual-description = Descrizione
manual-quantity = Quantità
manual-unit-price = Prezzo unitario (IVA esclusa)
manual-vat-category = IVA
manual-invoice-now = Fattura subito
manual-submit = Aggiungi la riga
manual-item-added = La riga andrà con la prossima fattura del cliente.
manual-invoiced = La fattura { $number } è stata emessa e inviata.
manual-on = Data
credit-title = Nota di credito
credit-whole = Accredita l'intera fattura
credit-lines = Oppure solo queste righe (togliete la spunta qui sopra)
credit-submit = Emetti la nota di credito
credit-made = La nota di credito { $number } è stata emessa e inviata.
vat-category-standard = aliquota ordinaria
vat-category-reduced = aliquota ridotta
vat-category-super_reduced = aliquota super ridotta
vat-category-zero = aliquota zero
vat-category-exempt = esente
nav-staff-catalog = Catalogo
nav-staff-audit = Registro delle modifiche
product-kind-hosting = hosting
product-kind-domain = nome a dominio
product-kind-mail = e-mail
product-kind-showcase = sito vetrina
product-kind-banner = banner
product-kind-project = progetto
product-kind-support = assistenza
product-kind-standby = reperibilità
product-kind-add_on = aggiunta
catalog-title = Prodotti, piani e condizioni
catalog-intro = Il catalogo come i clienti lo ordinano. Si modifica con il file di fatturazione (loket billing apply FILE) o con l'API.
catalog-pay-first = pagato prima dell'attivazione (pro forma)
catalog-prices = Prezzi (IVA esclusa)
catalog-setup = Costo di attivazione
catalog-terms = Condizioni contrattuali
catalog-business = Per le aziende
catalog-consumer = Per i privati
audit-title = Registro delle modifiche
audit-entity = Cosa
audit-entity-id = Numero
audit-filter = Filtra
audit-none = Nessuna voce.
audit-at = Quando
audit-actor = Chi
audit-action = Azione
audit-change = Modifica
audit-older = Voci precedenti
twostep-qr-label = Codice QR per la vostra app di autenticazione
twostep-qr-caption = Scansionate questo codice con l'app di autenticazione, oppure digitate la chiave qui sotto.
domain-the-role-registrant = il registrante (titolare)
domain-the-role-admin = il contatto amministrativo
domain-the-role-tech = il contatto tecnico
staff-dash-pro-formas = { $count ->
    [one] ordine in attesa di pagamento (pro forma aperta)
   *[other] ordini in attesa di pagamento (pro forma aperte)
}
staff-dash-unassigned = { $count ->
    [one] ticket senza assegnatario
   *[other] ticket senza assegnatario
}
staff-dash-unmatched = { $count ->
    [one] accredito bancario in attesa di abbinamento
   *[other] accrediti bancari in attesa di abbinamento
}

## Documents as PDF
pdf-number = Numero
pdf-credits = Questa nota di credito rettifica la fattura { $number } del { $date }.
pdf-col-quantity = Q.tà
pdf-col-vat = IVA
pdf-col-amount = Importo
pdf-vat-note-AE = Inversione contabile: l'IVA è assolta dal committente (art. 196 direttiva 2006/112/CE; operazione non soggetta art. 7-ter DPR 633/72).
pdf-vat-note-E = Operazione esente da IVA (art. 10 DPR 633/72).
pdf-stamp-duty = Imposta di bollo di 2,00 euro assolta in modo virtuale ai sensi del DM 17 giugno 2014.
pdf-vat-note-O = Operazione non soggetta a IVA: servizio reso a committente extra UE (art. 7-ter DPR 633/72).
pdf-how-to-pay = Come pagare
pdf-scan-to-pay = Inquadra per pagare
pdf-page = Pagina { $page } di { $pages }
doc-file-pdf = Scarica il PDF
doc-file-ubl = UBL (fattura Peppol)
transmission-sdi = Fattura elettronica allo SDI
transmission-peppol = Fattura elettronica via Peppol
transmission-state-queued = in attesa di invio
transmission-state-sending = in invio
transmission-state-sent = inviata
transmission-state-failed = non inviata
doc-file-fatturapa = FatturaPA (XML per lo SDI)

nav-staff-exports = Esportazioni
exports-title = Esportazioni per il commercialista
exports-intro = Fatture, note di credito e pagamenti di un periodo come registro, e i documenti in PDF. Note di credito e rimborsi sono negativi.
exports-period = Periodo
exports-from = Dal
exports-to = Al (incluso)
exports-choose = Scegli il periodo
exports-files = File dal { $from } al { $to }
exports-journal-csv = Registro (CSV)
exports-journal-csv-hint = Una riga per fattura, nota di credito e pagamento; importi con il punto decimale.
exports-journal-xlsx = Registro (Excel)
exports-journal-xlsx-hint = Lo stesso registro come cartella di lavoro, con un foglio dei totali.
exports-documents-zip = Documenti (ZIP)
exports-documents-zip-hint = Tutte le fatture e note di credito del periodo in PDF, con il registro.
exports-cli = Sul server, un file per documento:
err-period-order = La fine del periodo è prima dell'inizio.
err-date-range = Usa una data tra il 2000 e il 2099.
pdf-quote = Preventivo
pdf-valid-until = Valido fino al
pdf-quote-accept = Accetti questo preventivo entro il { $valid_until } nel suo pannello clienti, oppure risponda all'e-mail con cui l'ha ricevuto.
pdf-date = Data

## Payment reminders as PDF (the invoice's number, dates and open amount are arguments)
pdf-reminder-title = { $reminder ->
        [1] Sollecito di pagamento
        [2] Secondo sollecito
        [3] Terzo sollecito
       *[other] { $reminder }° sollecito
    }
pdf-reminder-salutation = Gentile cliente,
pdf-reminder-body = { $reminder ->
        [1] Dai nostri registri risulta che la fattura { $number } del { $date } non è ancora stata pagata per intero: restano da pagare { $amount }. La scadenza era il { $due_date }.
       *[other] Le abbiamo già ricordato la fattura { $number } del { $date }, ma dai nostri registri restano ancora da pagare { $amount }. La scadenza era il { $due_date }.
    }
pdf-reminder-request = La preghiamo di pagare l'importo dovuto entro { $days ->
        [one] { $days } giorno
       *[other] { $days } giorni
    }, cioè entro il { $pay_by }.
pdf-reminder-already-paid = Se nel frattempo ha già provveduto al pagamento, non tenga conto di questa lettera. Per qualsiasi domanda sulla fattura, non esiti a contattarci.
pdf-reminder-closing = Cordiali saluti,

## Standby confirmations as PDF (the span's local start and end, the provider's time zone and
## phone, the call-out terms in minutes and percent are arguments)
pdf-standby-title = Conferma reperibilità
pdf-standby-reference = Riferimento
pdf-standby-agreed-on = Concordata il
pdf-standby-agreed = Le confermiamo che siamo reperibili per Lei dal { $start } al { $end }. Gli orari sono ore locali di { $zone }.
pdf-standby-parts = La reperibilità è calcolata parte per parte a una percentuale della tariffa oraria; ogni parte è fatturata per almeno il tempo minimo del suo tipo.
pdf-standby-col-category = Parte
pdf-standby-col-from = Dal
pdf-standby-col-to = Al
pdf-standby-col-duration = Durata
pdf-standby-col-billed = Fatturata
pdf-standby-col-unit = h:mm
pdf-standby-col-percent = Tariffa
pdf-standby-col-price = Prezzo
pdf-standby-category-office_hours = Orario d'ufficio (non reperibilità)
pdf-standby-category-evening_night = Sera/notte
pdf-standby-category-weekend = Fine settimana
pdf-standby-category-holiday = Festivo
pdf-standby-category-callout = Chiamata
pdf-standby-office-hours = L'orario d'ufficio rientra nell'assistenza ordinaria: non fa parte della reperibilità e non costa nulla in più.
pdf-standby-hourly-rate = Tariffa oraria
pdf-standby-invoiced = Questo importo sarà addebitato nella prossima fattura, dove si aggiunge l'IVA.
pdf-standby-callout-heading = Se ha bisogno di noi
pdf-standby-callout-phone = Durante la reperibilità ci chiami al numero di reperibilità: { $phone }.
pdf-standby-callout-line = Durante la reperibilità ci chiami al numero di reperibilità.
pdf-standby-callout-terms = Interveniamo entro { $response ->
        [one] { $response } minuto
       *[other] { $response } minuti
    } dalla Sua chiamata. Il tempo di lavoro si aggiunge alla reperibilità: minimo { $minimum ->
        [one] { $minimum } minuto
       *[other] { $minimum } minuti
    }, al { $percent } % della tariffa oraria.
pdf-standby-note = Nota

nav-staff-bank = Banca
bank-title = Estratti conto
bank-import = Importa un estratto conto
bank-import-intro = Un file camt.053 (XML) o MT940 del conto del fornitore. Ogni accredito viene abbinato a una fattura tramite il riferimento di pagamento, un numero di fattura nella causale o l'importo da un conto da cui il cliente paga, e registrato; il resto attende qui sotto. Un file importato di nuovo non registra nulla due volte.
bank-file = File dell'estratto conto
bank-import-button = Importa
bank-cli = Dalla riga di comando:
bank-import-result = Importato: { $booked } registrati, { $unmatched } in attesa, { $seen } già importati.
bank-imported = L'estratto conto è stato importato.
bank-booked = L'accredito è stato registrato.
bank-dismissed = L'accredito è stato messo da parte: non è registrato su nessuno.
bank-waiting = { $count ->
    [one] Un accredito attende
   *[other] { $count } accrediti attendono
}
bank-none-waiting = Nulla in attesa: ogni accredito è stato registrato.
bank-col-date = Data
bank-col-amount = Importo
bank-col-from = Da
bank-col-text = Riferimento e causale
bank-col-book = Registra su
bank-invoice-for = Fattura per { $amount }
bank-invoice-number = numero di fattura
bank-book = Registra
bank-dismiss = Non è un pagamento di un cliente
bank-more = Altri accrediti
bank-statements = Estratti conto importati
bank-no-statements = Nessun estratto conto importato finora.
bank-col-imported = Importato
bank-col-statement = Estratto conto
bank-col-entries = Movimenti
bank-col-booked = Registrati
bank-col-waiting = In attesa
bank-col-skipped = Saltati

pay-title = Paga online
pay-method = Metodo di pagamento
pay-now = Paga ora { $amount }
pay-reload = Aggiorna
pay-returned-paid = Grazie: il pagamento è stato ricevuto e la fattura è pagata.
pay-returned-waiting = Stiamo aspettando la conferma del pagamento dal servizio di pagamento. Di solito bastano pochi secondi.
pay-returned-failed = Il pagamento non è andato a buon fine. La fattura è ancora aperta; puoi riprovare.
pay-failed-title = Il pagamento online non è possibile in questo momento
pay-failed-text = Riprova tra qualche minuto.
pay-failed-text-iban = Riprova tra qualche minuto, oppure paga con bonifico su { $iban } indicando il riferimento di pagamento della fattura.
pay-online-title = Pagamenti online
pay-col-date = Avviato
pay-col-method = Metodo
pay-col-status = Stato
pay-col-amount = Importo
pay-col-provider = Presso il servizio
pay-col-refund = Rimborso
pay-refund = Rimborsa
pay-event-refund = Rimborso
pay-event-chargeback = Storno
pay-status-creating = In avvio
pay-status-open = Non ancora pagato
pay-status-pending = In attesa
pay-status-authorized = Autorizzato
pay-status-paid = Pagato
pay-status-canceled = Annullato
pay-status-expired = Scaduto
pay-status-failed = Non riuscito
pay-status-unavailable = Servizio non raggiungibile
auto-title = Pagamento automatico
auto-offer = Paga automaticamente le fatture future con questo metodo (concedi un mandato; puoi interromperlo in qualsiasi momento)
auto-on = Le fatture aperte vengono addebitate automaticamente su { $account } ({ $method }).
auto-stop = Interrompi il pagamento automatico
auto-method-directdebit = addebito diretto
auto-method-creditcard = carta
auto-method-paypal = PayPal
