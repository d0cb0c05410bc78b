# Loket — English. Every key here exists in nl/ and it/ too (a test checks).

app-name = Loket
nav-home = Home
nav-language = Language
nav-skip = Skip to content
footer-powered = Runs on Loket
label-coc = Chamber of Commerce no.
label-vat = VAT no.
label-iban = IBAN

home-title = Welcome to { $provider }
home-intro = This is the customer portal of { $provider }. Here you will find your invoices, subscriptions, services and support requests.
home-status-ok = All systems are working.
home-contact = Questions? Write to { $email }.

error-not-found-title = Page not found
error-not-found-text = The page you asked for does not exist or was moved.
error-internal-title = Something went wrong
error-internal-text = We could not complete your request. Please try again in a moment; if it keeps happening, contact us and mention reference { $reference }.
error-bad-request-title = Your request could not be processed
error-back-home = Back to the home page

mail-greeting = Dear customer,
mail-signature = Kind regards,
mail-automatic = This message was sent automatically by the customer portal of { $provider }.
mail-test-subject = Test message from { $provider }
mail-test-body = This is a test message. If you can read it, Loket can send e-mail on behalf of { $provider }.
mail-test-sent-at = Composed at { $when }.
mail-welcome-subject = Loket is ready for { $provider }
mail-welcome-body = Loket has been installed for { $provider }. Customers can reach the portal at { $url }.
