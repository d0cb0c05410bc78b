# Loket — Nederlands.

app-name = Loket
nav-home = Start
nav-language = Taal
nav-main = Hoofdmenu
nav-dashboard = Overzicht
nav-billing = Facturen en diensten
dash-title = Welkom, { $name }
dash-no-cards = Uw account is nog niet aan een klant gekoppeld. Vraag de eigenaar van het klantaccount om een uitnodiging, of schrijf naar { $email }.
dash-overdue = { $count ->
    [one] factuur over de vervaldatum
   *[other] facturen over de vervaldatum
}
dash-open = { $count ->
    [one] factuur te betalen
   *[other] facturen te betalen
}
dash-offers = { $count ->
    [one] verlenging wacht op uw keuze
   *[other] verlengingen wachten op uw keuze
}
dash-services = { $count ->
    [one] dienst
   *[other] diensten
}
dash-suspended = { $count } opgeschort
dash-offer = { $plan } ({ $service }) eindigt na { $until }, tenzij u verlengt.
dash-offer-decide = Nu kiezen
dash-notes = Laatste berichten
dash-to-billing = Facturen en abonnementen
dash-to-card = Klantgegevens
dash-to-users = Gebruikers
col-actions = Acties
nav-skip = Naar de inhoud
footer-powered = Draait op Loket
label-coc = KvK-nummer
label-vat = Btw-nummer
label-iban = IBAN

home-title = Welkom bij { $provider }
home-intro = Dit is het klantenpaneel van { $provider }. Hier vindt u uw facturen, abonnementen en klantgegevens.
home-contact = Vragen? Mail naar { $email }.

error-not-found-title = Pagina niet gevonden
error-not-found-text = De gevraagde pagina bestaat niet of is verplaatst.
error-internal-title = Er ging iets mis
error-internal-text = We konden uw verzoek niet afhandelen. Probeer het zo nog eens; blijft het misgaan, neem dan contact met ons op en noem kenmerk { $reference }.
error-bad-request-title = Uw verzoek kon niet worden verwerkt
error-back-home = Terug naar de startpagina

mail-greeting = Geachte klant,
mail-signature = Met vriendelijke groet,
mail-automatic = Dit bericht is automatisch verstuurd door het klantenpaneel van { $provider }.
mail-test-subject = Testbericht van { $provider }
mail-test-body = Dit is een testbericht. Kunt u dit lezen, dan kan Loket e-mail versturen namens { $provider }.
mail-test-sent-at = Opgesteld op { $when }.
mail-welcome-subject = Loket staat klaar voor { $provider }
mail-welcome-body = Loket is geïnstalleerd voor { $provider }. Klanten bereiken het klantenpaneel op { $url }.

signin-title = Inloggen
signin-email = E-mailadres
signin-password = Wachtwoord
signin-submit = Inloggen
signin-forgot = Wachtwoord vergeten?
signin-failed = Het e-mailadres of het wachtwoord klopt niet.
signin-throttled-account = Te veel mislukte pogingen voor dit account. Probeer het over { $minutes } minuten opnieuw, of stel een nieuw wachtwoord in.
signin-throttled-ip = Te veel mislukte pogingen vanaf uw netwerk. Probeer het over { $minutes } minuten opnieuw.
signout = Uitloggen
signout-everywhere = Overal uitloggen
forgot-title = Wachtwoord vergeten?
forgot-intro = Vul uw e-mailadres in. Wij sturen u een link waarmee u een nieuw wachtwoord instelt.
forgot-submit = Link versturen
forgot-sent = Als er een account bestaat voor { $email }, hebben wij daar een link naartoe gestuurd om een nieuw wachtwoord in te stellen. De link werkt één keer, een uur lang.
reset-title = Nieuw wachtwoord instellen
reset-password = Nieuw wachtwoord
reset-submit = Wachtwoord opslaan
reset-invalid = Deze link is verlopen of al gebruikt. Vraag een nieuwe aan.
reset-done = Uw wachtwoord is gewijzigd en u bent overal uitgelogd. Log in met uw nieuwe wachtwoord.
password-rule = Minimaal 10 tekens.
account-title = Mijn account
account-cards = Klantenkaarten
account-role = Rol
account-staff = U bent medewerker ({ $role }) bij { $provider }.
role-owner = Eigenaar
role-billing = Contactpersoon facturatie
role-technical = Technisch contactpersoon
role-contact = Contactpersoon
staff-customers-title = Klanten
staff-search = Zoeken
customer-number = Nummer
customer-name = Naam
customer-email = E-mail
customer-kind = Soort
customer-kind-business = Zakelijk
customer-kind-consumer = Particulier
customer-country = Land
customer-tier = Niveau
customer-vat = Btw-nummer
customer-address = Adres
customer-invoice-email = Factuur-e-mail
customer-payment = Betaalwijze
customer-none = Geen klanten gevonden.
error-forbidden-title = Geen toegang
error-forbidden-text = U hebt geen toegang tot deze pagina.
mail-password-reset-subject = Nieuw wachtwoord voor { $provider }
mail-password-reset-body = Iemand, waarschijnlijk u, heeft gevraagd een nieuw wachtwoord in te stellen voor uw account bij { $provider }. Deze link werkt één keer, binnen een uur:
mail-password-reset-ignore = Hebt u dit niet gevraagd? Dan kunt u dit bericht negeren: uw wachtwoord blijft zoals het is.
field-legal_name = Juridische naam
field-trading_name = Handelsnaam
field-street = Straat en huisnummer
field-postal_code = Postcode
field-city = Plaats
field-country = Land
field-email = E-mail
field-invoice_email = E-mail voor facturen
field-phone = Telefoon
field-language = Taal
field-payment_method = Betaalwijze
field-iban = IBAN
field-wants_invoice_reminder = Herinner mij 30 dagen voor de volgende factuur
field-requires_second_factor = Tweestapsaanmelding verplicht voor alle gebruikers
field-wants_ubl_attachment = Stuur de e-factuur (UBL, Peppol) mee met elke factuurmail
field-vat_number = Btw-nummer
field-coc_number = KvK-nummer
field-tax_code = Fiscaal nummer
field-sdi_code = SDI-code (Italiaanse e-factuur)
field-pec = PEC-adres
field-kind = Soort
card-edit = Gegevens wijzigen
card-edit-title = Gegevens van { $name } wijzigen
card-edit-intro = Wijzigingen in velden met * worden eerst door { $provider } beoordeeld. Andere wijzigingen gelden direct. Facturen die al verstuurd zijn veranderen niet. De fiscale identiteit (btw-nummer, KvK-nummer, fiscaal nummer) kunt u hier niet wijzigen: vraag ons om een nieuwe klantenkaart.
card-reviewed-mark = wordt beoordeeld
card-confirm-password = Uw huidige wachtwoord, ter bevestiging
card-save = Wijzigingen opslaan
card-saved = Uw wijzigingen zijn opgeslagen.
card-requested = Uw wijzigingsverzoek is verstuurd; wij laten u weten wanneer het is beoordeeld.
card-nothing = Er is niets gewijzigd.
card-wrong-password = Het wachtwoord klopt niet.
card-changes = Wijzigingsverzoeken
cr-state-pending = Wacht op beoordeling
cr-state-approved = Goedgekeurd
cr-state-rejected = Afgewezen
cr-field = Veld
cr-from = Was
cr-to = Wordt
cr-queue-title = Te beoordelen wijzigingsverzoeken
cr-approve = Goedkeuren
cr-reject = Afwijzen
cr-reason = Reden (verplicht bij afwijzen)
cr-none = Er wachten geen wijzigingsverzoeken.
mail-change-request-received-subject = Wij hebben uw wijzigingsverzoek ontvangen
mail-change-request-received-body = Wij hebben uw verzoek ontvangen om de gegevens van { $customer } te wijzigen. Wij beoordelen het en laten het u weten.
mail-change-request-staff-subject = Wijzigingsverzoek van { $customer }
mail-change-request-staff-body = { $user } vraagt de gegevens van { $customer } te wijzigen. Beoordeel het op { $url }
mail-change-request-decided-subject = Uw wijzigingsverzoek is beoordeeld
mail-change-approved-body = De gevraagde wijziging van de gegevens van { $customer } is goedgekeurd en doorgevoerd. Documenten die vanaf nu worden opgemaakt, dragen de nieuwe gegevens.
mail-change-rejected-body = De gevraagde wijziging van de gegevens van { $customer } is afgewezen. Reden: { $reason }
members-title = Gebruikers van deze kaart
replace-title = Nieuwe klantenkaart
replace-intro = Verandert de fiscale identiteit (een ander btw-nummer of bedrijf, een particulier die een bedrijf wordt), maak dan een nieuwe kaart. De oude kaart en haar geschiedenis blijven; kies wiens toegang meeverhuist.
replace-move = { $user } naar de nieuwe kaart verplaatsen
replace-submit = Nieuwe kaart maken
replace-done = Deze kaart is vervangen door een nieuwe.
twostep-title = Tweestapsaanmelding
twostep-intro = Vul de 6-cijferige code uit uw authenticator-app in, of een van uw herstelcodes.
twostep-code = Code
twostep-wrong = Die code klopt niet, of is al gebruikt.
twostep-setup-title = Tweestapsaanmelding
twostep-setup-intro = Voeg deze sleutel toe aan uw authenticator-app (of open het otpauth-adres hieronder ermee) en vul de code in die de app toont.
twostep-enable = Aanzetten
twostep-disable = Uitzetten
twostep-enabled = Tweestapsaanmelding staat aan.
twostep-required = Tweestapsaanmelding is verplicht voor uw account. Stel het in om verder te gaan.
twostep-recovery-intro = Bewaar deze herstelcodes op een veilige plek. Elke code werkt één keer in plaats van een code uit de app, als u uw telefoon kwijt bent. Ze worden alleen nu getoond.
twostep-recovery-left = U hebt nog { $count } ongebruikte herstelcodes.
members-remove = Van deze kaart verwijderen
staff-invite-title = Gebruiker uitnodigen
staff-invite-intro = De persoon krijgt een e-mail met een link, een week geldig, om een login voor deze klant te maken. Zo krijgt een klant die u aanmaakte zijn eigenaar.
staff-invite-sent = Er is een uitnodiging verstuurd naar { $email }.
invite-title = Uitnodiging
invite-submit = Uitnodiging versturen
invite-intro = U bent uitgenodigd voor { $customer } als { $role }, met het adres { $email }.
invite-accept = Uitnodiging aannemen
invite-sign-in = Log in om aan te nemen
invite-other-user = U bent ingelogd als { $email }: log eerst uit en neem aan met het uitgenodigde adres.
invite-invalid = Deze uitnodiging is verlopen of al gebruikt.
perm-invoices-view = Facturen inzien
perm-invoices-pay = Facturen betalen
perm-services-manage = Diensten en bestellingen beheren
perm-helpdesk-use = Tickets openen en lezen
perm-company-edit = Bedrijfsgegevens wijzigen
perm-users-manage = Gebruikers beheren
mail-invitation-subject = Uitnodiging voor { $customer } bij { $provider }
mail-invitation-body = { $inviter } nodigt u uit voor { $customer } in het klantenpaneel van { $provider }. De link werkt één keer, een week lang:
profile-title = Profiel
password-change-title = Wachtwoord wijzigen
mail-billing-customer = Klant: { $customer } (klantnummer { $customer_number })
mail-billing-portal-link = Uw facturen en betalingen vindt u in het klantenpaneel:
mail-billing-portal-button = Bekijk uw facturen
mail-billing-invoice-subject = { $kind ->
        [credit_note] Creditnota { $number } van { $provider }
        [pro_forma] Betaalverzoek { $number } van { $provider }
       *[other] Factuur { $number } van { $provider }
    }
mail-billing-invoice-body-invoice = Wij hebben factuur { $number } opgemaakt voor een bedrag van { $amount }.
mail-billing-invoice-body-credit_note = Wij hebben creditnota { $number } opgemaakt voor een bedrag van { $amount }.
mail-billing-invoice-credits = Deze creditnota corrigeert factuur { $credits }.
mail-billing-invoice-body-pro_forma = Wij hebben betaalverzoek { $number } opgemaakt voor een bedrag van { $amount }. Dit is een pro-formafactuur: zodra wij uw betaling hebben ontvangen, ontvangt u de definitieve factuur.
mail-billing-invoice-due = Dit bedrag dient uiterlijk op { $due_date } te zijn voldaan.
mail-billing-invoice-due-partial = Na verrekening met uw tegoed resteert { $open }, te voldoen uiterlijk op { $due_date }.
mail-billing-invoice-pay-link = Bekijk en betaal deze factuur in uw klantenpaneel:
mail-billing-invoice-settled = U hoeft niets te betalen: het bedrag is al volledig voldaan.
mail-billing-payment-subject = Betaling van { $amount_text } ontvangen
mail-billing-payment-body = Hartelijk dank voor uw betaling van { $amount }, die wij op { $received } hebben ontvangen.
mail-billing-payment-applied = Wij hebben de betaling verwerkt voor de volgende facturen:
mail-billing-payment-credit = Een bedrag van { $to_credit } is bijgeschreven op uw tegoed. Wij verrekenen dit met uw volgende factuur.
mail-billing-reminder-subject = Betalingsherinnering: factuur { $number }
mail-billing-reminder-body = Volgens onze administratie is factuur { $number } nog niet volledig betaald: er staat nog { $amount } open. De vervaldatum was { $due_date }.
mail-billing-reminder-repeat = Wij hebben u al eerder aan deze factuur herinnerd.
mail-billing-reminder-request = Wij verzoeken u vriendelijk het bedrag zo spoedig mogelijk te voldoen. Hebt u inmiddels betaald, dan kunt u dit bericht als niet verzonden beschouwen. Hebt u vragen over de factuur, neem dan contact met ons op.
mail-billing-suspended-subject = Diensten opgeschort: factuur { $number } onbetaald
mail-billing-suspended-body = Omdat factuur { $number } nog niet is betaald (openstaand bedrag: { $amount }), hebben wij uw diensten opgeschort.
mail-billing-suspended-restore = Zodra wij uw betaling hebben ontvangen, activeren wij uw diensten weer. Daarvoor kunnen heractiveringskosten in rekening worden gebracht.
mail-billing-terminated-subject = Overeenkomst beëindigd: factuur { $number } onbetaald
mail-billing-terminated-body = Omdat factuur { $number } onbetaald blijft, hebben wij uw overeenkomst beëindigd en de betreffende diensten stopgezet.
mail-billing-terminated-due = Het openstaande bedrag van { $amount } blijft verschuldigd.
mail-billing-terminated-contact = Denkt u dat dit op een vergissing berust, neem dan zo snel mogelijk contact met ons op.
mail-billing-reactivated-subject = Uw diensten zijn weer actief
mail-billing-reactivated-body = Wij hebben uw diensten weer geactiveerd; ze zijn weer beschikbaar.
mail-billing-reactivated-fee = De heractiveringskosten zijn in rekening gebracht op factuur { $fee_invoice }.
mail-billing-cancellation-subject = Opzegging van { $plan } bevestigd
mail-billing-cancellation-body = Hierbij bevestigen wij uw opzegging van { $service }, die wij op { $received } hebben ontvangen. De laatste dag van de dienst is { $last_day }.
mail-billing-cancellation-late = Uw opzegging is na de opzegdatum van de lopende periode ({ $missed }) binnengekomen. Daarom gaat zij pas in aan het einde van een latere periode.
mail-billing-cancellation-until = Tot die datum loopt de dienst gewoon door.
mail-billing-renewal-offer-subject = { $plan }: laatste dag { $last_day_text } — wilt u verlengen?
mail-billing-renewal-offer-body = Uw abonnement { $service } loopt tot en met { $last_day }.
mail-billing-renewal-offer-renew = Wilt u het behouden? Verleng het dan met één periode, tot en met { $next_last_day }, voor { $price } per factuurperiode, via deze link:
mail-billing-renewal-offer-button = Verlengen tot en met { $next_last_day }
mail-billing-renewal-offer-lapse = Verlengt u niet, dan eindigt het abonnement na { $last_day } vanzelf; daarvoor hoeft u niets te doen. Zonder uw toestemming verlengen wij nooit.
mail-billing-renewed-subject = { $plan } is verlengd
mail-billing-renewed-body = Hierbij bevestigen wij dat uw abonnement { $service } is verlengd. Het loopt nu tot en met { $last_day }.
mail-billing-lapsed-subject = { $plan } is beëindigd
mail-billing-lapsed-body = Uw abonnement { $service } is niet verlengd; de laatste dag van de dienst was { $last_day }.
mail-billing-lapsed-again = Wilt u de dienst opnieuw gebruiken? Neem dan contact met ons op.
mail-billing-upcoming-subject = Aankondiging: factuur voor { $plan } op { $date_text }
mail-billing-upcoming-body = Op { $date } factureren wij { $amount } voor uw abonnement { $service }, voor de periode van { $from } tot { $to }.
mail-billing-upcoming-why = U ontvangt deze aankondiging omdat u daarom hebt gevraagd. U kunt haar uitzetten bij uw gegevens in het klantenpaneel.
billing-title = Facturatie
billing-link = Abonnementen en facturen
billing-back = Terug naar facturatie
billing-back-to-card = Terug naar de klantkaart
billing-period = { $from } t/m { $to }
billing-subscriptions = Abonnementen
billing-no-subscriptions = Er staan geen abonnementen op deze kaart.
billing-col-plan = Dienst
billing-col-state = Status
billing-col-price = Prijs per periode
billing-col-term = Huidige looptijd
billing-col-next-invoice = Volgende factuur
billing-col-notice = Opzeggen of verlengen
billing-state-pending_payment = Wacht op betaling
billing-state-active = Actief
billing-state-renewal_offered = Verlenging aangeboden
billing-state-cancellation_requested = Opgezegd
billing-state-suspended = Opgeschort
billing-state-ended = Beëindigd
billing-state-lapsed = Beëindigd (niet verlengd)
billing-state-terminated = Ontbonden
billing-price-net = { $amount } excl. btw
billing-next-invoice = { $date }: { $amount } excl. btw
billing-cancel-before = Opzeggen uiterlijk { $date }; de laatste dag van de dienst is dan { $last_day }
billing-cancel-how = Opzeggen doet u schriftelijk ({ $ways }): { $email }, of { $address }.
billing-renew-before = Verlengen uiterlijk { $date }
billing-add-on-to = uitbreiding van { $service }, samen gefactureerd
billing-ends-on = Laatste dag: { $date }
billing-renew = Verlengen
billing-cancel = Opzeggen…
billing-cancel-explain = Een opzegging die uiterlijk op de opzegdatum binnen is, beëindigt het abonnement aan het einde van de huidige looptijd; een latere aan het einde van de volgende. We bevestigen de datum meteen.
billing-cancel-submit = Opzegging bevestigen
billing-cancel-effect = Zegt u vandaag op, dan is de laatste dag van de dienst { $last_day }.
billing-cancel-title = { $service } opzeggen
billing-cancel-keep = Niet opzeggen
billing-see-document = Document bekijken
billing-credit = Uw tegoed is { $amount }. We verrekenen het met uw volgende facturen.
billing-pending-title = Voor de volgende factuur
billing-pending-intro = Werk en andere eenmalige bedragen sinds de laatste factuur. Ze komen op uw volgende factuur.
billing-pending-what = Wat
billing-pending-amount-net = Bedrag excl. btw
billing-pending-amount-gross = Bedrag incl. btw
billing-repeatedly-late = Deze klant betaalt herhaaldelijk te laat.
billing-invoices = Facturen
billing-no-invoices = Er zijn nog geen facturen.
billing-col-number = Nummer
billing-col-kind = Soort
billing-col-date = Datum
billing-col-due = Vervaldatum
billing-col-amount = Bedrag
billing-col-open = Open
billing-kind-invoice = Factuur
billing-kind-credit_note = Creditnota
billing-kind-pro_forma = Betaalverzoek
billing-doc-open = Open
billing-doc-paid = Betaald
billing-doc-converted = Betaald, factuur verstuurd
billing-doc-settled = Verrekend
billing-notifications = Berichten
billing-no-notifications = Er zijn geen berichten.
billing-note-invoice_issued = { $kind_text } { $number } verstuurd: { $amount }, te betalen uiterlijk { $due_date }.
billing-note-credit_note_issued = Creditnota { $number } verstuurd: { $amount }, ter creditering van factuur { $credits }.
billing-note-payment_received = Betaling van { $amount } ontvangen op { $received }.
billing-note-reminder = Herinnering: op factuur { $number } staat nog { $amount } open.
billing-note-suspended = Diensten opgeschort omdat factuur { $number } onbetaald is.
billing-note-terminated = Overeenkomst ontbonden omdat factuur { $number } onbetaald is.
billing-note-reactivated = Uw diensten zijn weer actief.
billing-note-cancellation_confirmed = Opzegging van { $service } bevestigd; de laatste dag van de dienst is { $last_day }.
billing-note-renewal_offer = { $service } eindigt na { $last_day }, tenzij u verlengt.
billing-note-renewed = { $service } verlengd tot en met { $last_day }.
billing-note-lapsed = { $service } is niet verlengd; de laatste dag was { $last_day }.
billing-note-upcoming_invoice = Op { $date } factureren we { $amount } voor { $service }.
billing-cancelled-title = Opzegging ontvangen
billing-cancelled-text = { $service }: de laatste dag van de dienst is { $last_day }. We hebben u een bevestiging gestuurd.
billing-cancelled-late = Uw opzegging kwam na de opzegdatum van de huidige looptijd ({ $deadline }) binnen en gaat daarom in aan het einde van een latere looptijd.
billing-cancel-conflict = Dit abonnement kan niet worden opgezegd: het is al opgezegd of beëindigd.
billing-cancel-failed = De opzegging kon niet worden verwerkt
billing-renewed-title = Abonnement verlengd
billing-renewed-text = { $service } is verlengd tot en met { $last_day }.
billing-renew-conflict = Dit abonnement kan niet worden verlengd: het wordt vanzelf verlengd, of het is beëindigd.
billing-renew-failed = De verlenging kon niet worden verwerkt
billing-failed-text = Er is niets gewijzigd. De reden:
renew-title = Uw abonnement verlengen
renew-runs-until = { $service } loopt tot en met { $until }.
renew-intro = { $service } met één looptijd verlengen, voor { $price } per factuurperiode?
renew-submit = Verlengen
renew-invalid = Deze verlengingslink is verlopen of al gebruikt. Bekijk uw abonnementen in het klantenportaal.
renew-not-allowed = Deze verlengingslink hoort bij een klantkaart waarvan u de diensten niet mag beheren. Meld u aan als gebruiker van die kaart die diensten mag beheren.
renew-already = { $service } is al verlengd: het loopt tot en met { $until }. U hoeft niets meer te doen.
payment-title = Betaling boeken
payment-recorded = De betaling is geboekt.
payment-invoice = Factuur
payment-invoice-oldest = Eerst de oudste openstaande facturen
payment-amount = Bedrag (bijv. 121,00)
payment-method = Betaalwijze
payment-method-bank-transfer = Overboeking
payment-method-direct-debit = Automatische incasso
payment-method-online = Online betaling
payment-method-credit = Uit het tegoed
payment-received-on = Ontvangen op
payment-reference = Kenmerk (optioneel)
payment-submit = Betaling boeken
invoice-from = Van
invoice-to = Aan
invoice-customer-number = Klantnummer
invoice-credits = Deze creditnota corrigeert factuur
invoice-issue-date = Factuurdatum
invoice-due-date = Vervaldatum
invoice-reference = Betalingskenmerk
invoice-lines = Regels
invoice-col-description = Omschrijving
invoice-col-period = Gebruiksperiode
invoice-col-quantity = Aantal
invoice-col-unit-price = Prijs per stuk
invoice-col-vat-rate = Btw-tarief
invoice-col-net = Bedrag excl. btw
invoice-vat-breakdown = Btw
invoice-col-vat-category = Btw-categorie
invoice-col-taxable = Grondslag
invoice-col-vat = Btw
invoice-net = Totaal excl. btw
invoice-vat = Btw
invoice-gross = Totaal
invoice-credited = Gecrediteerd
invoice-paid = Betaald
invoice-open = Nog te betalen
invoice-pay-text = Maak { $amount } uiterlijk { $due_date } over naar { $iban } onder vermelding van betalingskenmerk { $reference }.
vat-code-S = Btw
vat-code-Z = Nultarief
vat-code-AE = Btw verlegd
vat-code-E = Vrijgesteld van btw
vat-code-O = Buiten de reikwijdte van de btw
mail-billing-ended-subject = { $plan } is beëindigd
mail-billing-ended-body = Wij hebben uw abonnement { $service } beëindigd. De laatste dag van de dienst is { $last_day }. Wat voor de periode daarna gefactureerd was, crediteren wij.
billing-note-ended = { $service } is beëindigd; de laatste dag van de dienst is { $last_day }.
billing-price-gross = { $amount } incl. btw
billing-next-invoice-gross = { $date }: { $amount } incl. btw
billing-doc-credited = Gecrediteerd
billing-doc-void = Vervallen

# Words the billing engine writes on documents itself.
doc-line-setup = Eenmalige aansluitkosten: { $service }
doc-line-reactivation-fee = Heractivering van opgeschorte diensten
doc-line-deposit = { $project } — aanbetaling { $percent }%
doc-line-balance = { $project } — restant
doc-line-credit = Creditering: { $line } ({ $reason })
doc-reason-ended = de dienst eindigt na { $date }
doc-reason-downgrade = { $plan } vanaf { $date }
service-title = Dienst
service-since = In gebruik sinds
service-last-day = Laatste dag
service-usage = Gebruik van opslag en dataverkeer
service-range = Getoonde periode
service-days = Laatste { $days } dagen
service-storage = Opslag in gebruik
service-traffic = Dataverkeer per dag
service-weekly-peaks = Over een jaar is elk punt van de grafieken de hoogste dag van die week.
service-traffic-day = dataverkeer op { $day }
service-of-quota = { $percent } % van { $quota }
service-quota = Limiet { $amount }
service-peak = Hoogste { $amount }
service-per-month = Per maand
service-month = Maand
service-storage-peak = Opslag (hoogste)
service-traffic-total = Dataverkeer (totaal)
service-days-measured = Dagen gemeten
service-no-usage = Voor deze dienst is in deze periode nog geen gebruik gemeten.
service-back = Terug naar facturen en diensten
billing-usage = Gebruik
billing-record-cancel = Opzegging vastleggen…
billing-record-cancel-title = Opzegging van { $service } vastleggen
billing-record-cancel-explain = Voor een opzegging die per e-mail, brief, aangetekende brief of telefoon binnenkwam: vul de dag van ontvangst in. De contractvoorwaarden bepalen wanneer zij ingaat, en de klant krijgt een bevestiging.
billing-received-on = Ontvangen op
billing-sent-on = Verzonden op (poststempel van een brief)
billing-sent-on-help = Niet verplicht. Voorwaarden die een brief tellen vanaf de verzenddag beoordelen de opzegtermijn op deze dag.
billing-channel = Ontvangen per
billing-channel-email = E-mail
billing-channel-portal = Klantenpaneel
billing-channel-letter = Brief
billing-channel-registered_letter = Aangetekende brief
billing-channel-phone = Telefoon
billing-record-cancel-submit = Opzegging vastleggen
billing-cancellation-recorded = Opzegging van { $service } vastgelegd.
country-AT = Oostenrijk
country-BE = België
country-BG = Bulgarije
country-CH = Zwitserland
country-CY = Cyprus
country-CZ = Tsjechië
country-DE = Duitsland
country-DK = Denemarken
country-EE = Estland
country-ES = Spanje
country-FI = Finland
country-FR = Frankrijk
country-GB = Verenigd Koninkrijk
country-GR = Griekenland
country-HR = Kroatië
country-HU = Hongarije
country-IE = Ierland
country-IT = Italië
country-LT = Litouwen
country-LU = Luxemburg
country-LV = Letland
country-MT = Malta
country-NL = Nederland
country-NO = Noorwegen
country-PL = Polen
country-PT = Portugal
country-RO = Roemenië
country-SE = Zweden
country-SI = Slovenië
country-SK = Slowakije
country-SM = San Marino
country-US = Verenigde Staten
country-VA = Vaticaanstad
field-name = Naam
card-payment-invoice = Op factuur (overboeking)
card-payment-direct_debit = Automatische incasso
card-payment-online = Online betalen
invoices-title = Facturen
invoices-search = Zoeken
invoices-number = Nummer begint met
invoices-any = Alle
invoices-from = Datum vanaf
invoices-to = Datum tot en met
invoices-min = Bedrag vanaf
invoices-max = Bedrag tot en met
invoices-clear = Zoekopdracht wissen
invoices-none = Geen documenten gevonden.
invoices-first-page = Eerste pagina
invoices-next-page = Oudere documenten
invoices-all = Alle facturen
invoices-field-q = Nummer
invoices-field-state = Status
invoices-field-from = Datum vanaf
invoices-field-to = Datum tot en met
invoices-field-min = Bedrag vanaf
invoices-field-max = Bedrag tot en met
invoices-field-before = Pagina
staff-dash-title = Werk te doen
staff-search-hint = Naam, e-mail, btw-nummer, factuurnummer of domein
staff-dash-changes = { $count ->
    [one] wijzigingsverzoek te beoordelen
   *[other] wijzigingsverzoeken te beoordelen
}
staff-dash-overdue = { $count ->
    [one] factuur over de vervaldatum
   *[other] facturen over de vervaldatum
}
staff-dash-renewals = { $count ->
    [one] verlengingsaanbieding wacht op de klant
   *[other] verlengingsaanbiedingen wachten op de klant
}
staff-dash-dead-jobs = { $count ->
    [one] taak die bij elke poging mislukte
   *[other] taken die bij elke poging mislukten
}
staff-dash-oldest-overdue = Langst over de vervaldatum
staff-dash-days-late = Dagen te laat
staff-dash-dead-jobs-help = Enkele achtergrondtaken (mail, factuurrondes) mislukten bij elke poging. Bekijk ze met `loket jobs list --state dead` en probeer opnieuw met `loket jobs retry ID` zodra de oorzaak is verholpen.
staff-found-invoices = Documenten op nummer
staff-found-services = Diensten op domein of naam
mail-quote-sent-subject = Offerte { $number } van { $provider }
mail-quote-sent-body = Wij hebben offerte { $number } voor u opgesteld: { $total }, geldig tot en met { $valid_until }.
mail-quote-vat-included = Het bedrag is inclusief btw.
mail-quote-vat-excluded = Het bedrag is exclusief btw.
mail-quote-sent-decide = Bekijk de offerte en neem haar aan of wijs haar af in het klantenpaneel:
mail-quote-decided-subject = Offerte { $number } beslist door { $customer }
mail-quote-accepted-body = { $customer } heeft offerte { $number } aangenomen. De diensten zijn gestart en het eenmalige werk komt op de volgende factuur.
mail-quote-rejected-body = { $customer } heeft offerte { $number } afgewezen.
mail-quote-comment = Hun toelichting:
quotes-title = Offertes
quotes-number = Offerte
quotes-valid-until = Geldig tot en met
quotes-none = Nog geen offertes.
quotes-back = Alle offertes
quote-title = Offerte { $number }
quote-status-sent = Wacht op uw keuze
quote-status-accepted = Aangenomen
quote-status-rejected = Afgewezen
quote-status-withdrawn = Ingetrokken
quote-status-expired = Verlopen
quote-decided-on = Beslist op
quote-per-period = per { $period }
quote-setup-fee = plus eenmalige instelkosten van { $amount }
quote-see-service = Bekijk de dienst
quote-first-invoice = De totalen zijn de eerste factuur: één factuurperiode van elke dienst, de instelkosten en het eenmalige werk. Per dienst gelden de contractvoorwaarden.
quote-comment = Toelichting
quote-decide = Uw keuze
quote-decide-explain = U kunt deze offerte aannemen tot en met { $valid_until }. Aannemen bestelt de diensten direct: ze starten vandaag, en het werk komt op uw volgende factuur.
quote-comment-label = Toelichting (niet verplicht)
quote-accept = Aannemen en bestellen
quote-reject = Afwijzen
quote-new = Nieuwe offerte
quote-note = Toelichting voor de klant
quote-lines-explain = Elke regel is een dienst op een abonnement (waarvoor, en een prijs per factuurperiode alleen als die afwijkt) of eenmalig werk (omschrijving, aantal, stukprijs excl. btw). Lege regels vallen weg.
quote-line = Regel { $n }
quote-plan = Dienst (abonnement)
quote-label = Voor (domein, site)
quote-price = Prijs per periode
quote-work = Of eenmalig werk
quote-send = Offerte maken en versturen
billing-quotes = Offertes
dash-quotes = { $count ->
    [one] offerte wacht op uw keuze
   *[other] offertes wachten op uw keuze
}
per-month = maand
per-quarter = kwartaal
per-year = jaar
period-months = { $n ->
    [1] 1 maand
   *[other] { $n } maanden
}
period-years = { $n ->
    [1] 1 jaar
   *[other] { $n } jaar
}
period-days = { $n ->
    [1] 1 dag
   *[other] { $n } dagen
}
mail-order-confirmed-subject = Uw bestelling bij { $provider }
mail-order-body = Dank u voor uw bestelling: { $service }. De dienst start op { $start }.
mail-order-pay-first = Deze dienst wordt vooraf betaald: u ontvangt een betaalverzoek, en de dienst start zodra het betaald is.
mail-order-withdrawal = Als particulier mag u deze bestelling binnen 14 dagen zonder opgave van reden herroepen; daarom start de dienst op { $start }. Herroepen kan door op deze e-mail te antwoorden.
mail-order-withdrawal-waived = U vroeg ons direct te beginnen. U kunt binnen 14 dagen nog herroepen; u betaalt dan voor het deel van de dienst dat al geleverd is.
order-title = Dienst bestellen
order-intro = Kies een dienst. U ziet de prijs en de contractvoorwaarden voordat u iets bevestigt.
order-first-term = Eerste looptijd: { $period }.
order-renews = Daarna telkens verlengd met { $period }, tenzij u op tijd opzegt.
order-opt-in = Elke looptijd eindigt tenzij u kiest voor verlenging, telkens met { $period }; wij vragen het u voor het einde.
order-anchor = Looptijden eindigen elk jaar op { $date }.
order-notice = Opzeggen { $notice } voor het einde van een looptijd, per { $channels }.
order-notice-days = { $n ->
    [1] 1 dag
   *[other] { $n } dagen
}
order-notice-months = { $n ->
    [1] 1 kalendermaand
   *[other] { $n } kalendermaanden
}
order-invoiced = Gefactureerd per { $period } vooruit; betalen binnen { $days } dagen.
order-price-gross = { $amount } per { $period } incl. btw
order-price-net = { $amount } per { $period } excl. btw
order-pay-first = Vooraf te betalen: u ontvangt een betaalverzoek, en de dienst start zodra het betaald is.
order-label = Voor (domeinnaam of site)
order-label-hint = bijv. voorbeeld.nl
order-add-on-to = Voor welke van uw diensten
order-add-on-hint = Deze wordt samen met die dienst gefactureerd: de eerste dagen op de volgende factuur van die dienst, daarna per periode met die dienst mee; hij stopt wanneer die dienst stopt.
order-continue = Verder
order-review = Controleer uw bestelling
order-terms = Contractvoorwaarden
order-withdrawal-title = Wanneer moet de dienst starten?
order-withdrawal-explain = Als particulier mag u een bestelling op afstand binnen 14 dagen zonder opgave van reden herroepen. Vraagt u ons direct te beginnen en herroept u daarna, dan betaalt u voor het deel dat al geleverd is.
order-start-later = Na de bedenktijd, op { $date }
order-start-now = Direct, op { $date }: ik vraag u binnen de bedenktijd te beginnen
order-confirm = Bestellen met betalingsverplichting
order-back = Terug naar alle diensten
order-done = Dank u voor uw bestelling
order-done-text = { $service } start op { $date }.
order-done-mail = Wij hebben u een bevestiging per e-mail gestuurd.
billing-order = Dienst bestellen
notices-title = Berichten
notices-unread = { $count ->
    [0] Geen ongelezen berichten.
    [1] 1 ongelezen bericht.
   *[other] { $count } ongelezen berichten.
}
notices-new = Nieuw
notices-mark-all = Alles als gelezen markeren
notices-mark-one = Als gelezen markeren
notices-mail-title = Per e-mail
notices-mail-explain = Facturen, betalingsherinneringen, opschortingen, bevestigingen van een opzegging en verlengingsaanbiedingen komen altijd per e-mail. Kies welke andere berichten u ook per e-mail wilt:
notices-kind-payment_received = Een betaling is ontvangen
notices-kind-renewed = Een dienst is verlengd
notices-kind-upcoming_invoice = Er komt een factuur aan (als u om de herinnering vroeg)
notices-kind-ended = Een dienst is beëindigd
notices-kind-lapsed = Een dienst is geëindigd omdat hij niet werd verlengd
dash-unread = { $count ->
    [1] 1 ongelezen bericht
   *[other] { $count } ongelezen berichten
}
staff-new-customer = Nieuwe klant
staff-new-customer-submit = Klantkaart aanmaken
staff-new-subscription = Nieuw abonnement
staff-start-date = Start op
staff-price-optional = alleen als die afwijkt van het abonnement
staff-add-on-to = Uitbreiding van
staff-add-on-none = geen: een eigen dienst
staff-new-subscription-submit = Abonnement starten
mail-payment-chargeback-staff-subject = Terugboeking: { $number } staat weer open
mail-payment-chargeback-staff-body = De bank van { $customer } heeft { $amount } teruggeboekt die online voor { $number } was betaald. De factuur staat weer open; zie { $url }
mail-payment-chargeback-staff-reason = Reden van de bank: { $reason }
mail-domain-contact-staff-subject = Wijziging van een domeincontact: { $domain }
mail-domain-contact-staff-body = { $user } vraagt { $role } van { $domain } bij het register te wijzigen. Voer het uit en leg het vast op { $url }
mail-domain-contact-decided-subject = Uw verzoek voor { $domain }
mail-domain-contact-received-body = Wij hebben uw verzoek ontvangen om { $role } van { $domain } te wijzigen. Wij voeren het uit bij het register en laten u weten wanneer het gedaan is. Het wijzigen van uw klantgegevens wijzigt de contacten van uw domeinen niet.
mail-domain-contact-done-body = Wij hebben { $role } van { $domain } bij het register gewijzigd zoals u vroeg.
mail-domain-contact-rejected-body = Wij hebben { $role } van { $domain } niet gewijzigd: { $reason }
domain-role-registrant = houder (registrant)
domain-role-admin = administratief contact
domain-role-tech = technisch contact
domain-contacts = Contactgegevens bij het register
domain-contacts-explain = Elk domein heeft eigen contactgegevens bij het centrale register, los van uw klantenkaart: het wijzigen van uw klantgegevens wijzigt ze niet. Vraag hier een wijziging aan; wij voeren die uit bij het register.
domain-contact-none = Niet vastgelegd
domain-contact-change = Wijziging aanvragen
domain-contact-submit = Verzoek versturen
domain-contact-sent = Uw verzoek is verstuurd. Wij laten u per e-mail weten wanneer het bij het register is uitgevoerd.
domain-contact-record = Vastleggen zoals het register het heeft
domain-requests = Aangevraagde wijzigingen
domain-request-pending = wacht
domain-request-done = uitgevoerd
domain-request-rejected = geweigerd
domain-expires = Geregistreerd tot
field-organisation = Organisatie
staff-domains = Wijzigingen van domeincontacten
staff-domains-none = Er wachten geen verzoeken.
staff-domain-done = Uitgevoerd bij het register
staff-domain-reject = Weigeren
staff-domain-decided = Het verzoek is vastgelegd.
dash-domains = Wijzigingen van domeincontacten
dash-expiring-domains = Domeinen die verlengd worden
err-required = Vul dit in.
err-too-long = Gebruik ten hoogste { $max } tekens.
err-control = Haal de stuurtekens (zoals regeleinden) weg.
err-email = Dit is geen e-mailadres.
err-phone = Dit is geen telefoonnummer: gebruik cijfers, spaties en + - ( ).
err-iban = Dit is geen geldig IBAN: controleer het nummer.
err-country = Kies een land.
err-date = Dit is geen datum.
err-kvk = Een KvK-nummer heeft 8 cijfers.
err-vat = Dit is geen geldig btw-nummer: controleer de landcode en de cijfers.
err-tax-code = Dit is geen geldige fiscale code (codice fiscale).
err-sdi-code = Een SDI-code heeft 7 letters en cijfers, of 6 voor een Italiaanse overheidsinstantie.
err-sdi-code-italy = Een SDI-code is alleen voor klanten in Italië.
err-ubl-business = De e-factuur (UBL) is voor bedrijven; een particulier krijgt zijn facturen als pdf.
err-positive = Vul een bedrag boven nul in.
err-amount = Dit is geen bedrag: gebruik cijfers met ten hoogste twee decimalen, bijvoorbeeld 72,42.
err-amount-range = Vul een bedrag in van ten hoogste 1.000.000.000,00.
err-yes-no = Kies ja of nee.
err-order-label = Vul in waarvoor de dienst is: een domeinnaam of een site.
err-choose-service = Kies een dienst uit de lijst.
err-order-key = Dit bestelformulier is verlopen: open het opnieuw.
nav-invoices = Facturen
nav-services = Diensten
nav-quotes = Offertes
nav-order = Bestellen
nav-card = Mijn gegevens
nav-users = Gebruikers
nav-staff-domains = Domeinen
dash-domain-renews = geregistreerd tot en met { $date }, wordt automatisch verlengd tenzij u opzegt
dash-domain-ends = geregistreerd tot en met { $date }, daarna vervalt het
mail-access-request-staff-subject = Geen toegang meer: verzoek van { $name }
mail-access-request-staff-body = { $name } ({ $email }, klantnummer { $number }) heeft geen toegang meer en stuurde een ondertekend formulier met een identiteitsbewijs. Controleer ze en beslis op { $url }
mail-access-request-received-subject = Wij hebben uw verzoek ontvangen
mail-access-request-received-body = Wij hebben uw ondertekende formulier en de scan van uw identiteitsbewijs ontvangen. Wij controleren ze met onze gegevens en laten het u per e-mail weten. Hebt u dit verzoek niet gedaan, neem dan meteen contact met ons op.
mail-access-request-rejected-subject = Uw verzoek om toegang
mail-access-request-rejected-body = Wij konden uw toegang niet herstellen: { $reason }
nav-staff-access = Geen toegang
access-title = Geen toegang meer tot uw account?
access-intro = Kunt u uw account, het e-mailadres of het telefoonnummer niet meer gebruiken, dan herstellen wij uw toegang zodra wij weten dat u het bent.
access-step-form = Vul dit formulier in met uw naam, het e-mailadres dat u voortaan wilt gebruiken en, als u het weet, uw klantnummer.
access-step-sign = Druk een verzoek af waarin staat wat u gewijzigd wilt hebben, onderteken het met de hand en scan het (of maak een duidelijke foto).
access-step-upload = Upload het ondertekende verzoek en een scan van een identiteitsbewijs (paspoort, identiteitskaart of rijbewijs), elk een PDF, JPEG of PNG van ten hoogste { $mb } MB.
access-privacy = Wij gebruiken de scans alleen om uw verzoek te controleren en verwijderen ze na onze bewaartermijn. U mag uw pasfoto en uw burgerservicenummer (BSN) op de kopie van uw identiteitsbewijs afschermen.
access-field-name = Uw naam
access-field-email = E-mailadres voor het account
access-field-customer_number = Klantnummer (als u het weet)
access-field-message = Wat moeten wij wijzigen?
access-field-form = Ondertekend verzoek
access-field-identity = Identiteitsbewijs
access-submit = Verzoek versturen
access-sent = Dank u. Wij hebben uw verzoek ontvangen en laten u per e-mail weten wanneer wij het hebben gecontroleerd.
access-staff-title = Geen toegang meer
access-staff-none = Er wachten geen verzoeken.
access-staff-decided = Onlangs beslist
access-staff-back = Alle verzoeken
access-col-sent = Verstuurd
access-card = Klantenkaart
access-scans = Scans
access-files-deleted = scans verwijderd op { $date }
access-decide = Beslissing
access-decide-help = Vergelijk de handtekening en het identiteitsbewijs met de klantenkaart. Herstellen stuurt het adres een link om het wachtwoord opnieuw in te stellen (en zet de tweestapsaanmelding uit) als het al een login op de kaart heeft, anders een uitnodiging voor de kaart als eigenaar.
access-restore = Toegang herstellen
access-reject = Weigeren
access-state-pending = wacht
access-state-restored = hersteld
access-state-rejected = geweigerd
signin-lost-access = Geen toegang meer tot uw e-mailadres?
err-scan-type = Stuur een PDF-, JPEG- of PNG-bestand.
err-file-too-large = Het bestand is groter dan { $max } MB.
access-done-reset = Toegang hersteld: het adres heeft een link gekregen om een nieuw wachtwoord in te stellen; de tweestapsaanmelding staat uit.
access-done-invited = Toegang hersteld: het adres is uitgenodigd voor de klantenkaart als eigenaar.
access-done-rejected = Het verzoek is geweigerd; de afzender heeft de reden gekregen.
manual-title = Handmatige factuur
manual-intro = Een losse regel voor deze klant, bijvoorbeeld verricht werk of een dienst buiten de catalogus. Factureer hem meteen of laat hem meegaan met de volgende factuur.
manual-description = Omschrijving
manual-quantity = Aantal
manual-unit-price = Prijs per stuk (excl. btw)
manual-vat-category = Btw
manual-invoice-now = Nu factureren
manual-submit = Regel toevoegen
manual-item-added = De regel gaat mee met de volgende factuur van de klant.
manual-invoiced = Factuur { $number } is uitgereikt en verstuurd.
manual-on = Datum
credit-title = Creditnota
credit-whole = De hele factuur crediteren
credit-lines = Of alleen deze regels (vink "hele factuur" hierboven uit)
credit-submit = Creditnota maken
credit-made = Creditnota { $number } is uitgereikt en verstuurd.
vat-category-standard = algemeen tarief
vat-category-reduced = verlaagd tarief
vat-category-super_reduced = superverlaagd tarief
vat-category-zero = nultarief
vat-category-exempt = vrijgesteld
nav-staff-catalog = Catalogus
nav-staff-audit = Auditlog
product-kind-hosting = hosting
product-kind-domain = domeinnaam
product-kind-mail = e-mail
product-kind-showcase = etalagesite
product-kind-banner = banner
product-kind-project = project
product-kind-support = ondersteuning
product-kind-standby = stand-by
product-kind-add_on = aanvulling
catalog-title = Producten, abonnementen en voorwaarden
catalog-intro = De catalogus zoals klanten eruit bestellen. Wijzigen gaat met het facturatiebestand (loket billing apply BESTAND) of de API.
catalog-pay-first = vooraf betaald (pro forma)
catalog-prices = Prijzen (excl. btw)
catalog-setup = Eenmalige kosten
catalog-terms = Contractvoorwaarden
catalog-business = Voor bedrijven
catalog-consumer = Voor particulieren
audit-title = Auditlog
audit-entity = Wat
audit-entity-id = Nummer
audit-filter = Filteren
audit-none = Geen regels.
audit-at = Wanneer
audit-actor = Wie
audit-action = Handeling
audit-change = Wijziging
audit-older = Oudere regels
twostep-qr-label = QR-code voor uw authenticator-app
twostep-qr-caption = Scan deze code met uw authenticator-app, of typ de sleutel hieronder over.
domain-the-role-registrant = de houder (registrant)
domain-the-role-admin = het administratieve contact
domain-the-role-tech = het technische contact
staff-dash-pro-formas = { $count ->
    [one] bestelling die op betaling wacht (open pro forma)
   *[other] bestellingen die op betaling wachten (open pro forma's)
}
staff-dash-unassigned = { $count ->
    [one] ticket zonder behandelaar
   *[other] tickets zonder behandelaar
}
staff-dash-unmatched = { $count ->
    [one] bankbijschrijving die op u wacht
   *[other] bankbijschrijvingen die op u wachten
}

## Documents as PDF
pdf-number = Nummer
pdf-credits = Deze creditnota corrigeert factuur { $number } van { $date }.
pdf-col-quantity = Aantal
pdf-col-vat = Btw
pdf-col-amount = Bedrag
pdf-vat-note-AE = Btw verlegd: de afnemer voldoet de btw (artikel 196 Btw-richtlijn 2006/112/EG).
pdf-vat-note-E = Vrijgesteld van btw.
pdf-stamp-duty = Zegelrecht van EUR 2,00 virtueel voldaan (Italiaans ministerieel besluit van 17 juni 2014).
pdf-vat-note-O = Niet belast met btw in de EU: de dienst wordt geleverd aan een afnemer buiten de EU.
pdf-how-to-pay = Zo betaalt u
pdf-scan-to-pay = Scan om te betalen
pdf-page = Pagina { $page } van { $pages }
doc-file-pdf = PDF downloaden
doc-file-ubl = UBL (Peppol e-factuur)
transmission-sdi = E-factuur naar de SDI
transmission-peppol = E-factuur via Peppol
transmission-state-queued = wacht op verzending
transmission-state-sending = wordt verzonden
transmission-state-sent = verzonden
transmission-state-failed = niet verzonden
doc-file-fatturapa = FatturaPA (XML voor de SDI)

nav-staff-exports = Exports
exports-title = Exports voor de boekhouder
exports-intro = De facturen, creditnota's en betalingen van een periode als journaal, en de documenten als pdf. Creditnota's en terugbetalingen tellen negatief.
exports-period = Periode
exports-from = Van
exports-to = Tot en met
exports-choose = Periode kiezen
exports-files = Bestanden voor { $from } – { $to }
exports-journal-csv = Journaal (CSV)
exports-journal-csv-hint = Eén regel per factuur, creditnota en betaling; bedragen met een decimale punt.
exports-journal-xlsx = Journaal (Excel)
exports-journal-xlsx-hint = Hetzelfde journaal als werkmap, met een blad met totalen.
exports-documents-zip = Documenten (ZIP)
exports-documents-zip-hint = Alle facturen en creditnota's van de periode als pdf, met het journaal.
exports-cli = Op de server, één bestand per document:
err-period-order = Het einde van de periode ligt vóór het begin.
err-date-range = Kies een datum tussen 2000 en 2099.
pdf-quote = Offerte
pdf-valid-until = Geldig tot en met
pdf-quote-accept = Accepteer deze offerte uiterlijk { $valid_until } in uw klantenpaneel, of beantwoord de e-mail waarmee u haar ontving.
pdf-date = Datum

## Payment reminders as PDF (the invoice's number, dates and open amount are arguments)
pdf-reminder-title = { $reminder ->
        [1] Betalingsherinnering
        [2] Tweede herinnering
        [3] Derde herinnering
       *[other] { $reminder }e herinnering
    }
pdf-reminder-salutation = Geachte heer, mevrouw,
pdf-reminder-body = { $reminder ->
        [1] Volgens onze administratie is factuur { $number } van { $date } nog niet volledig betaald: er staat nog { $amount } open. De vervaldatum was { $due_date }.
       *[other] Wij hebben u al eerder aan factuur { $number } van { $date } herinnerd, maar volgens onze administratie staat er nog altijd { $amount } open. De vervaldatum was { $due_date }.
    }
pdf-reminder-request = Wij verzoeken u vriendelijk het openstaande bedrag binnen { $days ->
        [one] { $days } dag
       *[other] { $days } dagen
    } te betalen, uiterlijk op { $pay_by }.
pdf-reminder-already-paid = Hebt u inmiddels betaald, dan kunt u deze brief als niet verzonden beschouwen. Hebt u vragen over de factuur, neem dan contact met ons op.
pdf-reminder-closing = Met vriendelijke groet,

## Standby confirmations as PDF (the span's local start and end, the provider's time zone and
## phone, the call-out terms in minutes and percent are arguments)
pdf-standby-title = Bevestiging standby
pdf-standby-reference = Referentie
pdf-standby-agreed-on = Afgesproken op
pdf-standby-agreed = Hierbij bevestigen wij dat wij voor u standby zijn van { $start } tot { $end }. De tijden zijn lokale tijden in { $zone }.
pdf-standby-parts = De standby wordt per deel geprijsd tegen een percentage van het uurtarief; elk deel wordt berekend voor minimaal de minimale tijd van zijn soort.
pdf-standby-col-category = Deel
pdf-standby-col-from = Van
pdf-standby-col-to = Tot
pdf-standby-col-duration = Duur
pdf-standby-col-billed = Berekend
pdf-standby-col-unit = u:mm
pdf-standby-col-percent = Tarief
pdf-standby-col-price = Prijs
pdf-standby-category-office_hours = Kantooruren (geen standby)
pdf-standby-category-evening_night = Avond/nacht
pdf-standby-category-weekend = Weekend
pdf-standby-category-holiday = Feestdag
pdf-standby-category-callout = Oproep
pdf-standby-office-hours = Kantooruren vallen onder de gewone ondersteuning: ze horen niet bij de standby en kosten niets extra.
pdf-standby-hourly-rate = Uurtarief
pdf-standby-invoiced = Dit bedrag komt op uw volgende factuur; de btw wordt daar berekend.
pdf-standby-callout-heading = Als u ons nodig hebt
pdf-standby-callout-phone = Bel tijdens de standby ons standbynummer: { $phone }.
pdf-standby-callout-line = Bel tijdens de standby ons standbynummer.
pdf-standby-callout-terms = Wij komen binnen { $response ->
        [one] { $response } minuut
       *[other] { $response } minuten
    } na uw oproep in actie. De tijd die wij werken wordt bovenop de standby berekend: minimaal { $minimum ->
        [one] { $minimum } minuut
       *[other] { $minimum } minuten
    }, tegen { $percent } % van het uurtarief.
pdf-standby-note = Opmerking

nav-staff-bank = Bank
bank-title = Bankafschriften
bank-import = Afschrift inlezen
bank-import-intro = Een camt.053- (XML) of MT940-bestand van de rekening van de provider. Elke bijschrijving wordt aan een factuur gekoppeld via het betalingskenmerk, een factuurnummer in de omschrijving, of het bedrag vanaf een rekening waarvan de klant betaalt, en geboekt; de rest wacht hieronder. Een bestand dat opnieuw wordt ingelezen boekt niets twee keer.
bank-file = Afschriftbestand
bank-import-button = Inlezen
bank-cli = Vanaf de opdrachtregel:
bank-import-result = Ingelezen: { $booked } geboekt, { $unmatched } wachten op u, { $seen } eerder ingelezen.
bank-imported = Het afschrift is ingelezen.
bank-booked = De bijschrijving is geboekt.
bank-dismissed = De bijschrijving is opzijgezet: die is op niemand geboekt.
bank-waiting = { $count ->
    [one] Eén bijschrijving wacht op u
   *[other] { $count } bijschrijvingen wachten op u
}
bank-none-waiting = Er wacht niets: elke bijschrijving is geboekt.
bank-col-date = Datum
bank-col-amount = Bedrag
bank-col-from = Van
bank-col-text = Kenmerk en omschrijving
bank-col-book = Boeken op
bank-invoice-for = Factuur voor { $amount }
bank-invoice-number = factuurnummer
bank-book = Boeken
bank-dismiss = Geen betaling van een klant
bank-more = Meer bijschrijvingen
bank-statements = Ingelezen afschriften
bank-no-statements = Nog geen afschrift ingelezen.
bank-col-imported = Ingelezen
bank-col-statement = Afschrift
bank-col-entries = Posten
bank-col-booked = Geboekt
bank-col-waiting = Wachtend
bank-col-skipped = Overgeslagen

pay-title = Online betalen
pay-method = Betaalmethode
pay-now = Nu { $amount } betalen
pay-reload = Vernieuwen
pay-returned-paid = Dank u: uw betaling is ontvangen en de factuur is betaald.
pay-returned-waiting = We wachten op de bevestiging van uw betaling door de betaaldienst. Dat duurt meestal een paar seconden.
pay-returned-failed = De betaling is niet gelukt. De factuur staat nog open; u kunt het opnieuw proberen.
pay-failed-title = Online betalen lukt nu niet
pay-failed-text = Probeer het over een paar minuten opnieuw.
pay-failed-text-iban = Probeer het over een paar minuten opnieuw, of maak het bedrag over naar { $iban } met het betalingskenmerk op de factuur.
pay-online-title = Online betalingen
pay-col-date = Gestart
pay-col-method = Methode
pay-col-status = Status
pay-col-amount = Bedrag
pay-col-provider = Bij de betaaldienst
pay-col-refund = Terugbetalen
pay-refund = Terugbetalen
pay-event-refund = Terugbetaling
pay-event-chargeback = Terugboeking
pay-status-creating = Wordt gestart
pay-status-open = Nog niet betaald
pay-status-pending = In behandeling
pay-status-authorized = Geautoriseerd
pay-status-paid = Betaald
pay-status-canceled = Geannuleerd
pay-status-expired = Verlopen
pay-status-failed = Mislukt
pay-status-unavailable = Betaaldienst onbereikbaar
auto-title = Automatisch betalen
auto-offer = Toekomstige facturen automatisch met deze methode betalen (u geeft een machtiging; stoppen kan altijd)
auto-on = Openstaande facturen worden automatisch geïncasseerd van { $account } ({ $method }).
auto-stop = Automatisch betalen stoppen
auto-method-directdebit = automatische incasso
auto-method-creditcard = creditcard
auto-method-paypal = PayPal
