# Loket — Italiano.

app-name = Loket
nav-home = Inizio
nav-language = Lingua
nav-skip = Vai al contenuto
footer-powered = Funziona con Loket
label-coc = N. REA
label-vat = Partita IVA
label-iban = IBAN

home-title = Benvenuti da { $provider }
home-intro = Questa è l'area clienti di { $provider }. Qui trovate fatture, abbonamenti, servizi e richieste di assistenza.
home-status-ok = Tutti i sistemi funzionano.
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
