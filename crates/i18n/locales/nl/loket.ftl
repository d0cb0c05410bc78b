# Loket — Nederlands.

app-name = Loket
nav-home = Start
nav-language = Taal
nav-skip = Naar de inhoud
footer-powered = Draait op Loket
label-coc = KvK-nummer
label-vat = Btw-nummer
label-iban = IBAN

home-title = Welkom bij { $provider }
home-intro = Dit is het klantenpaneel van { $provider }. Hier vindt u uw facturen, abonnementen, diensten en supportverzoeken.
home-status-ok = Alle systemen werken.
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
