# Loket — English. Every key here exists in nl/ and it/ too (a test checks).

app-name = Loket
nav-home = Home
nav-language = Language
nav-main = Main menu
nav-dashboard = Overview
nav-billing = Invoices and services
dash-title = Welcome, { $name }
dash-no-cards = Your account is not linked to a customer yet. Ask the account's owner for an invitation, or write to { $email }.
dash-overdue = { $count ->
    [one] invoice overdue
   *[other] invoices overdue
}
dash-open = { $count ->
    [one] invoice to pay
   *[other] invoices to pay
}
dash-offers = { $count ->
    [one] renewal awaiting your decision
   *[other] renewals awaiting your decision
}
dash-services = { $count ->
    [one] service
   *[other] services
}
dash-suspended = { $count } suspended
dash-offer = { $plan } ({ $service }) ends after { $until } unless you renew it.
dash-offer-decide = Decide now
dash-notes = Latest messages
dash-to-billing = Invoices and subscriptions
dash-to-card = Customer details
dash-to-users = Users
col-actions = Actions
nav-skip = Skip to content
footer-powered = Runs on Loket
label-coc = Chamber of Commerce no.
label-vat = VAT no.
label-iban = IBAN

home-title = Welcome to { $provider }
home-intro = This is the customer portal of { $provider }. Here you find your invoices, subscriptions and customer details.
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

signin-title = Sign in
signin-email = E-mail address
signin-password = Password
signin-submit = Sign in
signin-forgot = Forgot password?
signin-failed = The e-mail address or password is not correct.
signin-throttled-account = Too many failed attempts for this account. Try again in { $minutes } minutes, or set a new password.
signin-throttled-ip = Too many failed attempts from your network. Try again in { $minutes } minutes.
signout = Sign out
signout-everywhere = Sign out everywhere
forgot-title = Forgot your password?
forgot-intro = Enter your e-mail address. We will send you a link to set a new password.
forgot-submit = Send link
forgot-sent = If an account exists for { $email }, we have sent it a link to set a new password. The link works once, for one hour.
reset-title = Set a new password
reset-password = New password
reset-submit = Save password
reset-invalid = This link has expired or has been used already. Ask for a new one.
reset-done = Your password has been changed and you have been signed out everywhere. Sign in with your new password.
password-rule = At least 10 characters.
account-title = My account
account-cards = Customer cards
account-role = Role
account-staff = You are { $role } staff at { $provider }.
role-owner = Owner
role-billing = Billing contact
role-technical = Technical contact
role-contact = Contact person
staff-customers-title = Customers
staff-search = Search
customer-number = Number
customer-name = Name
customer-email = E-mail
customer-kind = Kind
customer-kind-business = Business
customer-kind-consumer = Private person
customer-country = Country
customer-tier = Tier
customer-vat = VAT number
customer-address = Address
customer-invoice-email = Invoice e-mail
customer-payment = Payment method
customer-none = No customers found.
error-forbidden-title = No access
error-forbidden-text = You do not have access to this page.
mail-password-reset-subject = Set a new password for { $provider }
mail-password-reset-body = Someone, probably you, asked to set a new password for your account at { $provider }. This link works once, within one hour:
mail-password-reset-ignore = If you did not ask for this, ignore this message: your password stays as it is.
field-legal_name = Legal name
field-trading_name = Trading name
field-street = Street and number
field-postal_code = Postal code
field-city = City
field-country = Country
field-email = E-mail
field-invoice_email = E-mail for invoices
field-phone = Phone
field-language = Language
field-payment_method = Payment method
field-iban = IBAN
field-wants_invoice_reminder = Remind me 30 days before the next invoice
field-requires_second_factor = Require two-step sign-in for all users
field-wants_ubl_attachment = Send the e-invoice (UBL, Peppol) with every invoice e-mail
field-vat_number = VAT number
field-coc_number = Chamber of Commerce no.
field-tax_code = Tax code
field-sdi_code = SDI recipient code
field-pec = PEC address
field-kind = Kind
card-edit = Edit details
card-edit-title = Edit the details of { $name }
card-edit-intro = Changes to fields marked * are reviewed by { $provider } before they apply. Other changes apply at once. Invoices already sent do not change. The tax identity (VAT number, chamber of commerce number, tax code) cannot be changed here: ask us for a new customer card.
card-reviewed-mark = reviewed
card-confirm-password = Your current password, to confirm
card-save = Save changes
card-saved = Your changes have been saved.
card-requested = Your change request has been sent; we will let you know when it has been reviewed.
card-nothing = Nothing was changed.
card-wrong-password = The password is not correct.
card-changes = Change requests
cr-state-pending = Waiting for review
cr-state-approved = Approved
cr-state-rejected = Rejected
cr-field = Field
cr-from = Was
cr-to = Becomes
cr-queue-title = Change requests to review
cr-approve = Approve
cr-reject = Reject
cr-reason = Reason (required to reject)
cr-none = No change requests are waiting.
mail-change-request-received-subject = We received your change request
mail-change-request-received-body = We received your request to change the customer details ({ $customer }). We will review it and let you know.
mail-change-request-staff-subject = Change request from { $customer }
mail-change-request-staff-body = { $user } asked to change the customer details ({ $customer }). Review it at { $url }
mail-change-request-decided-subject = Your change request has been reviewed
mail-change-approved-body = Your requested change of the details of { $customer } has been approved and applied. Documents issued from now on carry the new details.
mail-change-rejected-body = Your requested change of the details of { $customer } has been rejected. Reason: { $reason }
members-title = Users of this card
replace-title = New customer card
replace-intro = When the tax identity changes (another VAT number or company, a private person becoming a business), make a new card. The old card and its history stay; choose whose access moves.
replace-move = Move { $user } to the new card
replace-submit = Make the new card
replace-done = This card has been replaced by a new one.
twostep-title = Two-step sign-in
twostep-intro = Enter the 6-digit code from your authenticator app, or one of your recovery codes.
twostep-code = Code
twostep-wrong = That code is not correct, or it has been used already.
twostep-setup-title = Two-step sign-in
twostep-setup-intro = Add this key to your authenticator app (or open the otpauth address below with it), then enter the code it shows.
twostep-enable = Turn on
twostep-disable = Turn off
twostep-enabled = Two-step sign-in is on.
twostep-required = Two-step sign-in is required for your account. Set it up to continue.
twostep-recovery-intro = Keep these recovery codes somewhere safe. Each works once, in place of a code, if you lose your phone. They are shown only now.
twostep-recovery-left = You have { $count } unused recovery codes.
members-remove = Remove from this card
staff-invite-title = Invite a user
staff-invite-intro = The person receives an e-mail with a link, valid for a week, to make a login for this card. A card you made gets its owner this way.
staff-invite-sent = An invitation has been sent to { $email }.
invite-title = Invitation
invite-submit = Send invitation
invite-intro = You are invited to { $customer } as { $role }, with the address { $email }.
invite-accept = Accept the invitation
invite-sign-in = Sign in to accept
invite-other-user = You are signed in as { $email }: sign out first and accept with the invited address.
invite-invalid = This invitation has expired or has been used already.
perm-invoices-view = See invoices
perm-invoices-pay = Pay invoices
perm-services-manage = Manage services and orders
perm-helpdesk-use = Open and read tickets
perm-company-edit = Edit the company's data
perm-users-manage = Manage users
mail-invitation-subject = Invitation to { $customer } at { $provider }
mail-invitation-body = { $inviter } invites you to { $customer } in the customer portal of { $provider }. The link works once, for a week:
profile-title = Profile
password-change-title = Change password
mail-billing-customer = Customer: { $customer } (customer number { $customer_number })
mail-billing-portal-link = You can view your invoices and payments in the customer portal:
mail-billing-portal-button = View your invoices
mail-billing-invoice-subject = { $kind ->
        [credit_note] Credit note { $number } from { $provider }
        [pro_forma] Payment request { $number } from { $provider }
       *[other] Invoice { $number } from { $provider }
    }
mail-billing-invoice-body-invoice = We have issued invoice { $number } for an amount of { $amount }.
mail-billing-invoice-body-credit_note = We have issued credit note { $number } for an amount of { $amount }.
mail-billing-invoice-credits = This credit note corrects invoice { $credits }.
mail-billing-invoice-body-pro_forma = We have issued payment request { $number } for an amount of { $amount }. This is a pro forma invoice: once we have received your payment, you will receive the final invoice.
mail-billing-invoice-due = This amount is due by { $due_date }.
mail-billing-invoice-due-partial = After deduction of your credit balance, { $open } remains to be paid, due by { $due_date }.
mail-billing-invoice-pay-link = View and pay this invoice in your customer panel:
mail-billing-invoice-settled = You do not need to pay anything: the amount has already been settled in full.
mail-billing-payment-subject = Payment of { $amount_text } received
mail-billing-payment-body = Thank you for your payment of { $amount }, which we received on { $received }.
mail-billing-payment-applied = We have applied it to the following invoices:
mail-billing-payment-credit = { $to_credit } has been added to your credit balance. We will use it for your next invoice.
mail-billing-reminder-subject = Payment reminder: invoice { $number }
mail-billing-reminder-body = According to our records, invoice { $number } has not yet been paid in full: { $amount } is still outstanding. Payment was due on { $due_date }.
mail-billing-reminder-repeat = We have reminded you of this invoice before.
mail-billing-reminder-request = We kindly ask you to pay the amount as soon as possible. If you have paid in the meantime, please disregard this message. If you have any questions about the invoice, please contact us.
mail-billing-suspended-subject = Services suspended: invoice { $number } unpaid
mail-billing-suspended-body = Because invoice { $number } is still unpaid ({ $amount } outstanding), we have suspended your services.
mail-billing-suspended-restore = As soon as we have received your payment, we will reactivate your services. A reactivation fee may apply.
mail-billing-terminated-subject = Contract terminated: invoice { $number } unpaid
mail-billing-terminated-body = Because invoice { $number } remains unpaid, we have terminated your contract and ended the services concerned.
mail-billing-terminated-due = The outstanding amount of { $amount } remains due.
mail-billing-terminated-contact = If you believe this is a mistake, please contact us as soon as possible.
mail-billing-reactivated-subject = Your services are active again
mail-billing-reactivated-body = We have reactivated your services; they are available again.
mail-billing-reactivated-fee = The reactivation fee has been charged on invoice { $fee_invoice }.
mail-billing-cancellation-subject = Cancellation of { $plan } confirmed
mail-billing-cancellation-body = We confirm your cancellation of { $service }, which we received on { $received }. The last day of service is { $last_day }.
mail-billing-cancellation-late = Your cancellation reached us after the notice deadline of the current term ({ $missed }), so it takes effect at the end of a later term.
mail-billing-cancellation-until = Until then, the service continues as usual.
mail-billing-renewal-offer-subject = { $plan }: last day { $last_day_text } — would you like to renew?
mail-billing-renewal-offer-body = Your subscription { $service } runs up to and including { $last_day }.
mail-billing-renewal-offer-renew = Would you like to keep it? Then renew it for one more term, up to and including { $next_last_day }, at { $price } per billing period, using this link:
mail-billing-renewal-offer-button = Renew up to { $next_last_day }
mail-billing-renewal-offer-lapse = If you do not renew, the subscription simply ends after { $last_day }; you do not need to do anything for that. We never renew without your consent.
mail-billing-renewed-subject = { $plan } has been renewed
mail-billing-renewed-body = We confirm that your subscription { $service } has been renewed. It now runs up to and including { $last_day }.
mail-billing-lapsed-subject = { $plan } has ended
mail-billing-lapsed-body = Your subscription { $service } was not renewed; its last day of service was { $last_day }.
mail-billing-lapsed-again = Would you like to use the service again? Please contact us.
mail-billing-upcoming-subject = Upcoming invoice for { $plan } on { $date_text }
mail-billing-upcoming-body = On { $date } we will invoice { $amount } for your subscription { $service }, for the period from { $from } to { $to }.
mail-billing-upcoming-why = You receive this advance notice because you asked for it. You can turn it off in your details in the customer portal.
billing-title = Billing
billing-link = Subscriptions and invoices
billing-back = Back to billing
billing-back-to-card = Back to the card
billing-period = { $from } – { $to }
billing-subscriptions = Subscriptions
billing-no-subscriptions = There are no subscriptions on this card.
billing-col-plan = Service
billing-col-state = Status
billing-col-price = Price per period
billing-col-term = Current term
billing-col-next-invoice = Next invoice
billing-col-notice = Cancel or renew
billing-state-pending_payment = Waiting for payment
billing-state-active = Active
billing-state-renewal_offered = Renewal offered
billing-state-cancellation_requested = Cancelled
billing-state-suspended = Suspended
billing-state-ended = Ended
billing-state-lapsed = Ended (not renewed)
billing-state-terminated = Terminated
billing-price-net = { $amount } excl. VAT
billing-next-invoice = { $date }: { $amount } excl. VAT
billing-cancel-before = Cancel on or before { $date }; the last day of service is then { $last_day }
billing-cancel-how = To cancel, write to us ({ $ways }): { $email }, or { $address }.
billing-renew-before = Renew on or before { $date }
billing-add-on-to = add-on to { $service }, invoiced with it
billing-ends-on = Last day: { $date }
billing-renew = Renew
billing-cancel = Cancel…
billing-cancel-explain = A cancellation received on or before the deadline ends the subscription at the end of the current term; a later one at the end of the next term. We confirm the date straight away.
billing-cancel-submit = Confirm the cancellation
billing-cancel-effect = If you cancel today, the last day of the service is { $last_day }.
billing-cancel-title = Cancel { $service }
billing-cancel-keep = Keep it
billing-see-document = View document
billing-credit = Your credit balance is { $amount }. We use it for your next invoices.
billing-pending-title = Waiting for the next invoice
billing-pending-intro = Work and other one-off amounts recorded since the last invoice. They are put on your next invoice.
billing-pending-what = What
billing-pending-amount-net = Amount excl. VAT
billing-pending-amount-gross = Amount incl. VAT
billing-repeatedly-late = This customer has paid late repeatedly.
billing-invoices = Invoices
billing-no-invoices = There are no invoices yet.
billing-col-number = Number
billing-col-kind = Kind
billing-col-date = Date
billing-col-due = Due date
billing-col-amount = Amount
billing-col-open = Open
billing-kind-invoice = Invoice
billing-kind-credit_note = Credit note
billing-kind-pro_forma = Payment request
billing-doc-open = Open
billing-doc-paid = Paid
billing-doc-converted = Paid, invoice issued
billing-doc-settled = Settled
billing-notifications = Messages
billing-no-notifications = There are no messages.
billing-note-invoice_issued = { $kind_text } { $number } issued: { $amount }, due on { $due_date }.
billing-note-credit_note_issued = Credit note { $number } issued: { $amount }, crediting invoice { $credits }.
billing-note-payment_received = Payment of { $amount } received on { $received }.
billing-note-reminder = Reminder: invoice { $number } still has { $amount } open.
billing-note-suspended = Services suspended because invoice { $number } is unpaid.
billing-note-terminated = Contract terminated because invoice { $number } is unpaid.
billing-note-reactivated = Your services are active again.
billing-note-cancellation_confirmed = Cancellation of { $service } confirmed; the last day of service is { $last_day }.
billing-note-renewal_offer = { $service } ends after { $last_day } unless you renew it.
billing-note-renewed = { $service } renewed up to and including { $last_day }.
billing-note-lapsed = { $service } was not renewed; its last day was { $last_day }.
billing-note-upcoming_invoice = On { $date } we will invoice { $amount } for { $service }.
billing-cancelled-title = Cancellation received
billing-cancelled-text = { $service }: the last day of service is { $last_day }. We have sent you a confirmation.
billing-cancelled-late = Your cancellation arrived after the deadline of the current term ({ $deadline }), so it takes effect at the end of a later term.
billing-cancel-conflict = This subscription cannot be cancelled: it has been cancelled already or has ended.
billing-cancel-failed = The cancellation could not be recorded
billing-renewed-title = Subscription renewed
billing-renewed-text = { $service } has been renewed up to and including { $last_day }.
billing-renew-conflict = This subscription cannot be renewed: it renews by itself, or it has ended.
billing-renew-failed = The renewal could not be recorded
billing-failed-text = Nothing has been changed. The reason:
renew-title = Renew your subscription
renew-runs-until = { $service } runs up to and including { $until }.
renew-intro = Renew { $service } for one more term, at { $price } per billing period?
renew-submit = Renew
renew-invalid = This renewal link has expired or has been used already. See your subscriptions in the customer portal.
renew-not-allowed = This renewal link is for a customer card whose services you may not manage. Sign in as a user of that card who may manage services.
renew-already = { $service } is renewed already: it runs up to and including { $until }. There is nothing more to do.
payment-title = Record a payment
payment-recorded = The payment has been recorded.
payment-invoice = Invoice
payment-invoice-oldest = The oldest open invoices first
payment-amount = Amount (e.g. 121.00)
payment-method = Method
payment-method-bank-transfer = Bank transfer
payment-method-direct-debit = Direct debit
payment-method-online = Online payment
payment-method-credit = From the credit balance
payment-received-on = Received on
payment-reference = Reference (optional)
payment-submit = Record the payment
invoice-from = From
invoice-to = To
invoice-customer-number = Customer number
invoice-credits = This credit note corrects invoice
invoice-issue-date = Date
invoice-due-date = Due date
invoice-reference = Payment reference
invoice-lines = Lines
invoice-col-description = Description
invoice-col-period = Period of use
invoice-col-quantity = Quantity
invoice-col-unit-price = Unit price
invoice-col-vat-rate = VAT rate
invoice-col-net = Amount excl. VAT
invoice-vat-breakdown = VAT
invoice-col-vat-category = VAT category
invoice-col-taxable = Taxable amount
invoice-col-vat = VAT
invoice-net = Total excl. VAT
invoice-vat = VAT
invoice-gross = Total
invoice-credited = Credited
invoice-paid = Paid
invoice-open = Still to pay
invoice-pay-text = Please transfer { $amount } to { $iban } by { $due_date }, stating the payment reference { $reference }.
vat-code-S = VAT
vat-code-Z = Zero rate
vat-code-AE = VAT reverse-charged
vat-code-E = Exempt from VAT
vat-code-O = Outside the scope of VAT
mail-billing-ended-subject = { $plan } has ended
mail-billing-ended-body = We have ended your subscription { $service }. Its last day of service is { $last_day }. Anything invoiced for the time after it is credited.
billing-note-ended = { $service } was ended; its last day of service is { $last_day }.
billing-price-gross = { $amount } incl. VAT
billing-next-invoice-gross = { $date }: { $amount } incl. VAT
billing-doc-credited = Credited
billing-doc-void = Cancelled

# Words the billing engine writes on documents itself.
doc-line-setup = Set-up: { $service }
doc-line-reactivation-fee = Reactivation of suspended services
doc-line-deposit = { $project } — deposit { $percent }%
doc-line-balance = { $project } — balance
doc-line-credit = Credit: { $line } ({ $reason })
doc-reason-ended = the service ends after { $date }
doc-reason-downgrade = { $plan } from { $date }
service-title = Service
service-since = In service since
service-last-day = Last day
service-usage = Use of storage and data traffic
service-range = Period shown
service-days = Last { $days } days
service-storage = Storage in use
service-traffic = Data traffic per day
service-weekly-peaks = Over a year, each point of the charts is the highest day of its week.
service-traffic-day = data traffic on { $day }
service-of-quota = { $percent } % of { $quota }
service-quota = Quota { $amount }
service-peak = Peak { $amount }
service-per-month = Per month
service-month = Month
service-storage-peak = Storage (peak)
service-traffic-total = Data traffic (total)
service-days-measured = Days measured
service-no-usage = No use has been measured for this service in this period yet.
service-back = Back to invoices and services
billing-usage = Usage
billing-record-cancel = Record cancellation…
billing-record-cancel-title = Record a cancellation of { $service }
billing-record-cancel-explain = For a cancellation that reached us by e-mail, letter, registered letter or phone: give the day it was received. The contract terms decide when it takes effect, and the customer gets a confirmation.
billing-received-on = Received on
billing-sent-on = Sent on (a letter's postmark)
billing-sent-on-help = Optional. Terms that count a letter from the day it was sent judge the notice by this day.
billing-channel = Received by
billing-channel-email = E-mail
billing-channel-portal = Customer portal
billing-channel-letter = Letter
billing-channel-registered_letter = Registered letter
billing-channel-phone = Phone
billing-record-cancel-submit = Record the cancellation
billing-cancellation-recorded = Cancellation of { $service } recorded.
country-AT = Austria
country-BE = Belgium
country-BG = Bulgaria
country-CH = Switzerland
country-CY = Cyprus
country-CZ = Czechia
country-DE = Germany
country-DK = Denmark
country-EE = Estonia
country-ES = Spain
country-FI = Finland
country-FR = France
country-GB = United Kingdom
country-GR = Greece
country-HR = Croatia
country-HU = Hungary
country-IE = Ireland
country-IT = Italy
country-LT = Lithuania
country-LU = Luxembourg
country-LV = Latvia
country-MT = Malta
country-NL = Netherlands
country-NO = Norway
country-PL = Poland
country-PT = Portugal
country-RO = Romania
country-SE = Sweden
country-SI = Slovenia
country-SK = Slovakia
country-SM = San Marino
country-US = United States
country-VA = Vatican City
field-name = Name
card-payment-invoice = By invoice (bank transfer)
card-payment-direct_debit = Direct debit
card-payment-online = Online payment
invoices-title = Invoices
invoices-search = Search
invoices-number = Number starts with
invoices-any = Any
invoices-from = Issued from
invoices-to = Issued up to
invoices-min = Amount from
invoices-max = Amount up to
invoices-clear = Clear the search
invoices-none = No documents match.
invoices-first-page = First page
invoices-next-page = Older documents
invoices-all = All invoices
invoices-field-q = Number
invoices-field-state = Status
invoices-field-from = Issued from
invoices-field-to = Issued up to
invoices-field-min = Amount from
invoices-field-max = Amount up to
invoices-field-before = Page
staff-dash-title = Work to do
staff-search-hint = Name, e-mail, VAT number, invoice number or domain
staff-dash-changes = { $count ->
    [one] change request to review
   *[other] change requests to review
}
staff-dash-overdue = { $count ->
    [one] invoice overdue
   *[other] invoices overdue
}
staff-dash-renewals = { $count ->
    [one] renewal offer awaiting the customer
   *[other] renewal offers awaiting the customer
}
staff-dash-dead-jobs = { $count ->
    [one] job that failed every attempt
   *[other] jobs that failed every attempt
}
staff-dash-oldest-overdue = Longest overdue
staff-dash-days-late = Days late
staff-dash-dead-jobs-help = Some background jobs (mail, billing runs) failed every attempt. See them with `loket jobs list --state dead` and retry with `loket jobs retry ID` once the cause is fixed.
staff-found-invoices = Documents by number
staff-found-services = Services by domain or name
mail-quote-sent-subject = Quote { $number } from { $provider }
mail-quote-sent-body = We have made quote { $number } for you: { $total }, valid until { $valid_until }.
mail-quote-vat-included = The amount includes VAT.
mail-quote-vat-excluded = The amount excludes VAT.
mail-quote-sent-decide = See the quote and accept or reject it in the customer portal:
mail-quote-decided-subject = Quote { $number } decided by { $customer }
mail-quote-accepted-body = { $customer } accepted quote { $number }. Its services have started and its one-off work waits for the next invoice.
mail-quote-rejected-body = { $customer } rejected quote { $number }.
mail-quote-comment = Their comment:
quotes-title = Quotes
quotes-number = Quote
quotes-valid-until = Valid until
quotes-none = No quotes yet.
quotes-back = All quotes
quote-title = Quote { $number }
quote-status-sent = Awaiting decision
quote-status-accepted = Accepted
quote-status-rejected = Rejected
quote-status-withdrawn = Withdrawn
quote-status-expired = Expired
quote-decided-on = Decided on
quote-per-period = per { $period }
quote-setup-fee = plus a one-time setup fee of { $amount }
quote-see-service = See the service
quote-first-invoice = The totals are the first invoice: one billing period of each service, its setup fee, and the one-off work. The contract terms of each service apply.
quote-comment = Comment
quote-decide = Your decision
quote-decide-explain = You can accept this quote until { $valid_until }. Accepting it orders its services at once: they start today, and the work is put on your next invoice.
quote-comment-label = Comment (optional)
quote-accept = Accept and order
quote-reject = Reject
quote-new = New quote
quote-note = Note to the customer
quote-lines-explain = Each line is a service on a plan (with what it is for, and a price per billing period only where it differs from the plan's) or one-off work (description, quantity, unit price excl. VAT). Empty lines are left out.
quote-line = Line { $n }
quote-plan = Service (plan)
quote-label = For (domain, site)
quote-price = Price per period
quote-work = Or one-off work
quote-send = Make and send the quote
billing-quotes = Quotes
dash-quotes = { $count ->
    [one] quote awaiting your decision
   *[other] quotes awaiting your decision
}
per-month = month
per-quarter = quarter
per-year = year
period-months = { $n ->
    [1] 1 month
   *[other] { $n } months
}
period-years = { $n ->
    [1] 1 year
   *[other] { $n } years
}
period-days = { $n ->
    [1] 1 day
   *[other] { $n } days
}
mail-order-confirmed-subject = Your order at { $provider }
mail-order-body = Thank you for your order: { $service }. The service starts on { $start }.
mail-order-pay-first = This service is paid before it starts: you will receive a payment request, and the service starts once it is paid.
mail-order-withdrawal = As a private customer you may withdraw from this order within 14 days, without giving a reason; that is why the service starts on { $start }. Withdraw by replying to this e-mail.
mail-order-withdrawal-waived = You asked us to start at once. You may still withdraw within 14 days; you then pay for the part of the service already provided.
order-title = Order a service
order-intro = Choose a service. Prices and contract terms are shown before you confirm anything.
order-first-term = First term: { $period }.
order-renews = Then renewed by { $period } at a time, unless you cancel in time.
order-opt-in = Each term ends unless you choose to renew, for { $period } at a time; we ask you before it ends.
order-anchor = Terms end on { $date } every year.
order-notice = Cancel { $notice } before the end of a term, by { $channels }.
order-notice-days = { $n ->
    [1] 1 day
   *[other] { $n } days
}
order-notice-months = { $n ->
    [1] 1 calendar month
   *[other] { $n } calendar months
}
order-invoiced = Invoiced per { $period } in advance; { $days } days to pay.
order-price-gross = { $amount } per { $period } incl. VAT
order-price-net = { $amount } per { $period } excl. VAT
order-pay-first = Paid before it starts: you receive a payment request, and the service starts once it is paid.
order-label = For (domain name or site)
order-label-hint = e.g. example.nl
order-add-on-to = For which of your services
order-add-on-hint = It is invoiced with that service: its first days on that service's next invoice, then period for period with it; it ends when that service ends.
order-continue = Continue
order-review = Check your order
order-terms = Contract terms
order-withdrawal-title = When should the service start?
order-withdrawal-explain = As a private customer you may withdraw from an order made at a distance within 14 days, without giving a reason. If you ask us to start at once and then withdraw, you pay for the part already provided.
order-start-later = After the withdrawal period, on { $date }
order-start-now = At once, on { $date }: I ask you to start within the withdrawal period
order-confirm = Order with obligation to pay
order-back = Back to all services
order-done = Thank you for your order
order-done-text = { $service } starts on { $date }.
order-done-mail = We have sent you a confirmation by e-mail.
billing-order = Order a service
notices-title = Messages
notices-unread = { $count ->
    [0] No unread messages.
    [1] 1 unread message.
   *[other] { $count } unread messages.
}
notices-new = New
notices-mark-all = Mark all as read
notices-mark-one = Mark as read
notices-mail-title = By e-mail
notices-mail-explain = Invoices, payment reminders, suspensions, confirmations of a cancellation and renewal offers always arrive by e-mail. Choose which other messages you also want by e-mail:
notices-kind-payment_received = A payment was received
notices-kind-renewed = A service was renewed
notices-kind-upcoming_invoice = An invoice is coming (if you asked for the reminder)
notices-kind-ended = A service has ended
notices-kind-lapsed = A service ended because it was not renewed
dash-unread = { $count ->
    [1] 1 unread message
   *[other] { $count } unread messages
}
staff-new-customer = New customer
staff-new-customer-submit = Make the customer card
staff-new-subscription = New subscription
staff-start-date = Starts on
staff-price-optional = only where it differs from the plan
staff-add-on-to = Add-on to
staff-add-on-none = none: a service of its own
staff-new-subscription-submit = Start the subscription
mail-payment-chargeback-staff-subject = Chargeback: { $number } is open again
mail-payment-chargeback-staff-body = The bank of { $customer } took back { $amount } paid online for { $number }. The invoice is open again; see { $url }
mail-payment-chargeback-staff-reason = Reason given by the bank: { $reason }
mail-domain-contact-staff-subject = Change of a domain contact: { $domain }
mail-domain-contact-staff-body = { $user } asks to change { $role } of { $domain } at the registry. Carry it out and record it at { $url }
mail-domain-contact-decided-subject = Your request for { $domain }
mail-domain-contact-received-body = We have received your request to change { $role } of { $domain }. We carry it out at the registry and let you know when it is done. Changing your customer details does not change the contacts of your domains.
mail-domain-contact-done-body = We have changed { $role } of { $domain } at the registry as you asked.
mail-domain-contact-rejected-body = We have not changed { $role } of { $domain }: { $reason }
domain-role-registrant = registrant (holder)
domain-role-admin = administrative contact
domain-role-tech = technical contact
domain-contacts = Contacts at the registry
domain-contacts-explain = Each domain has its own contacts at the registry, apart from your customer details: changing your customer details does not change them. Ask for a change here; we carry it out at the registry.
domain-contact-none = Not recorded
domain-contact-change = Request a change
domain-contact-submit = Send the request
domain-contact-sent = Your request has been sent. We let you know by e-mail when it has been carried out at the registry.
domain-contact-record = Record as held by the registry
domain-requests = Requested changes
domain-request-pending = waiting
domain-request-done = carried out
domain-request-rejected = refused
domain-expires = Registered until
field-organisation = Organisation
staff-domains = Domain contact changes
staff-domains-none = No requests are waiting.
staff-domain-done = Carried out at the registry
staff-domain-reject = Refuse
staff-domain-decided = The request has been recorded.
dash-domains = Domain contact changes
dash-expiring-domains = Domains up for renewal
err-required = Fill this in.
err-too-long = Use at most { $max } characters.
err-control = Remove the control characters (such as line breaks).
err-email = This is not an e-mail address.
err-phone = This is not a phone number: use digits, spaces and + - ( ).
err-iban = This is not a valid IBAN: check the number.
err-country = Choose a country.
err-date = This is not a date.
err-kvk = A Chamber of Commerce number has 8 digits.
err-vat = This is not a valid VAT number: check the country letters and digits.
err-tax-code = This is not a valid tax code (codice fiscale).
err-sdi-code = An SDI recipient code has 7 letters and digits, or 6 for a public administration office.
err-sdi-code-italy = An SDI recipient code is only for customers in Italy.
err-ubl-business = The e-invoice (UBL) is for businesses; a private person receives invoices as PDF.
err-positive = Enter an amount above zero.
err-amount = This is not an amount: use digits with at most two decimals, e.g. 72,42 or 72.42.
err-amount-range = Enter an amount of at most 1,000,000,000.00.
err-yes-no = Choose yes or no.
err-order-label = Please say what the service is for: a domain name or a site.
err-choose-service = Please choose a service from the list.
err-order-key = This order form has expired: open it again.
nav-invoices = Invoices
nav-services = Services
nav-quotes = Quotes
nav-order = Order
nav-card = My details
nav-users = Users
nav-staff-domains = Domains
dash-domain-renews = registered until { $date }, renewed automatically unless you cancel
dash-domain-ends = registered until { $date }, then it ends
mail-access-request-staff-subject = Lost access: request from { $name }
mail-access-request-staff-body = { $name } ({ $email }, customer number { $number }) has lost access and sent a signed form with an identity document. Check them and decide at { $url }
mail-access-request-received-subject = We have received your request
mail-access-request-received-body = We have received your signed form and the scan of your identity document. We check them against our records and let you know by e-mail. If you did not send this request, please contact us at once.
mail-access-request-rejected-subject = Your request for access
mail-access-request-rejected-body = We could not restore your access: { $reason }
nav-staff-access = Lost access
access-title = No access to your account?
access-intro = If you can no longer use your account, its e-mail address or its phone number, we can restore your access once we know it is you.
access-step-form = Fill in this form with your name, the e-mail address you want to use from now on and, if you know it, your customer number.
access-step-sign = Print a request stating what you want changed, sign it by hand and scan it (or take a clear photo).
access-step-upload = Upload the signed request and a scan of an identity document (passport, identity card or driving licence), each a PDF, JPEG or PNG of at most { $mb } MB.
access-privacy = We use the scans only to check your request and delete them after our retention period. You may black out your photo and your citizen service number (BSN) on the copy of your identity document.
access-field-name = Your name
access-field-email = E-mail address for the account
access-field-customer_number = Customer number (if you know it)
access-field-message = What should we change?
access-field-form = Signed request
access-field-identity = Identity document
access-submit = Send the request
access-sent = Thank you. We have received your request and let you know by e-mail once we have checked it.
access-staff-title = Lost access
access-staff-none = No requests are waiting.
access-staff-decided = Recently decided
access-staff-back = All requests
access-col-sent = Sent
access-card = Card
access-scans = Scans
access-files-deleted = scans deleted on { $date }
access-decide = Decision
access-decide-help = Compare the signature and the identity document with the card. Restoring sends the address a password-reset link (and turns off two-step sign-in) when it already has a login on the card, or else an invitation to the card as its owner.
access-restore = Restore access
access-reject = Refuse
access-state-pending = waiting
access-state-restored = restored
access-state-rejected = refused
signin-lost-access = No access to your e-mail address any more?
err-scan-type = Send a PDF, JPEG or PNG file.
err-file-too-large = The file is larger than { $max } MB.
access-done-reset = Access restored: the address has received a link to set a new password; two-step sign-in is off.
access-done-invited = Access restored: the address has been invited to the card as its owner.
access-done-rejected = The request was refused; the sender has been told why.
manual-title = Manual invoice
manual-intro = A one-off line for this customer, e.g. work done or a service not in the catalogue. Invoice it now, or let it go with the next invoice.
manual-description = Description
manual-quantity = Quantity
manual-unit-price = Unit price (excl. VAT)
manual-vat-category = VAT
manual-invoice-now = Invoice now
manual-submit = Add the line
manual-item-added = The line goes with the customer's next invoice.
manual-invoiced = Invoice { $number } has been issued and sent.
manual-on = Date
credit-title = Credit note
credit-whole = Credit the whole invoice
credit-lines = Or only these lines (untick "whole" above)
credit-submit = Make the credit note
credit-made = Credit note { $number } has been issued and sent.
vat-category-standard = standard rate
vat-category-reduced = reduced rate
vat-category-super_reduced = super-reduced rate
vat-category-zero = zero rate
vat-category-exempt = exempt
nav-staff-catalog = Catalogue
nav-staff-audit = Audit log
product-kind-hosting = hosting
product-kind-domain = domain name
product-kind-mail = e-mail
product-kind-showcase = showcase site
product-kind-banner = banner
product-kind-project = project
product-kind-support = support
product-kind-standby = standby
product-kind-add_on = add-on
catalog-title = Products, plans and terms
catalog-intro = The catalogue as customers order from it. It is changed with the billing file (loket billing apply FILE) or the API.
catalog-pay-first = paid before it starts (pro forma)
catalog-prices = Prices (excl. VAT)
catalog-setup = Setup fee
catalog-terms = Contract terms
catalog-business = For businesses
catalog-consumer = For private customers
audit-title = Audit log
audit-entity = What
audit-entity-id = Number
audit-filter = Filter
audit-none = No entries.
audit-at = When
audit-actor = Who
audit-action = Action
audit-change = Change
audit-older = Older entries
twostep-qr-label = QR code for your authenticator app
twostep-qr-caption = Scan this code with your authenticator app, or type the key below.
domain-the-role-registrant = the registrant (holder)
domain-the-role-admin = the administrative contact
domain-the-role-tech = the technical contact
staff-dash-pro-formas = { $count ->
    [one] order awaiting payment (open pro forma)
   *[other] orders awaiting payment (open pro formas)
}
staff-dash-unassigned = { $count ->
    [one] ticket nobody is assigned to
   *[other] tickets nobody is assigned to
}
staff-dash-unmatched = { $count ->
    [one] bank credit waiting to be matched
   *[other] bank credits waiting to be matched
}

## Documents as PDF
pdf-number = Number
pdf-credits = This credit note corrects invoice { $number } of { $date }.
pdf-col-quantity = Qty
pdf-col-vat = VAT
pdf-col-amount = Amount
pdf-vat-note-AE = VAT reverse-charged: the customer accounts for the VAT (Article 196 of Directive 2006/112/EC).
pdf-vat-note-E = Exempt from VAT.
pdf-stamp-duty = Stamp duty of EUR 2.00 paid virtually (Italian Ministerial Decree of 17 June 2014).
pdf-vat-note-O = Not subject to VAT in the EU: the service is supplied to a customer outside the EU.
pdf-how-to-pay = How to pay
pdf-scan-to-pay = Scan to pay
pdf-page = Page { $page } of { $pages }
doc-file-pdf = Download PDF
doc-file-ubl = UBL (Peppol e-invoice)
transmission-sdi = E-invoice to the SDI
transmission-peppol = E-invoice over Peppol
transmission-state-queued = waiting to be sent
transmission-state-sending = being sent
transmission-state-sent = sent
transmission-state-failed = not sent
doc-file-fatturapa = FatturaPA (XML for the SDI)

nav-staff-exports = Exports
exports-title = Exports for the accountant
exports-intro = A period's invoices, credit notes and payments as a journal, and its documents as PDF. Credit notes and refunds count negative.
exports-period = Period
exports-from = From
exports-to = Up to and including
exports-choose = Choose period
exports-files = Files for { $from } – { $to }
exports-journal-csv = Journal (CSV)
exports-journal-csv-hint = One line per invoice, credit note and payment; amounts with a decimal point.
exports-journal-xlsx = Journal (Excel)
exports-journal-xlsx-hint = The same journal as a workbook, with a sheet of totals.
exports-documents-zip = Documents (ZIP)
exports-documents-zip-hint = Every invoice and credit note of the period as PDF, with the journal.
exports-cli = On the server, one file per document:
err-period-order = The end of the period is before its start.
err-date-range = Use a date between 2000 and 2099.
pdf-quote = Quote
pdf-valid-until = Valid until
pdf-quote-accept = Accept this quote in your customer panel by { $valid_until }, or reply to the e-mail that brought it.
pdf-date = Date

## Payment reminders as PDF (the invoice's number, dates and open amount are arguments)
pdf-reminder-title = { $reminder ->
        [1] Payment reminder
        [2] Second reminder
        [3] Third reminder
        [4] Fourth reminder
       *[other] Reminder { $reminder }
    }
pdf-reminder-salutation = Dear customer,
pdf-reminder-body = { $reminder ->
        [1] According to our records, invoice { $number } of { $date } has not yet been paid in full: { $amount } is still outstanding. Payment was due on { $due_date }.
       *[other] We have reminded you of invoice { $number } of { $date } before, but according to our records { $amount } is still outstanding. Payment was due on { $due_date }.
    }
pdf-reminder-request = We kindly ask you to pay the outstanding amount within { $days ->
        [one] { $days } day
       *[other] { $days } days
    }, by { $pay_by } at the latest.
pdf-reminder-already-paid = If you have paid in the meantime, please disregard this letter. If you have any questions about the invoice, please contact us.
pdf-reminder-closing = Kind regards,

## Standby confirmations as PDF (the span's local start and end, the provider's time zone and
## phone, the call-out terms in minutes and percent are arguments)
pdf-standby-title = Standby confirmation
pdf-standby-reference = Reference
pdf-standby-agreed-on = Agreed on
pdf-standby-agreed = We confirm that we are on standby for you from { $start } to { $end }. Times are local times in { $zone }.
pdf-standby-parts = The standby is priced part by part at a percentage of the hourly rate; each part is billed for at least the minimum time of its kind.
pdf-standby-col-category = Part
pdf-standby-col-from = From
pdf-standby-col-to = To
pdf-standby-col-duration = Time
pdf-standby-col-billed = Billed
pdf-standby-col-unit = h:mm
pdf-standby-col-percent = Rate
pdf-standby-col-price = Price
pdf-standby-category-office_hours = Office hours (not standby)
pdf-standby-category-evening_night = Evening/night
pdf-standby-category-weekend = Weekend
pdf-standby-category-holiday = Public holiday
pdf-standby-category-callout = Call-out
pdf-standby-office-hours = Office hours are regular support: they are not part of the standby and cost nothing extra.
pdf-standby-hourly-rate = Hourly rate
pdf-standby-invoiced = This amount is put on your next invoice; VAT is added there.
pdf-standby-callout-heading = If you need us
pdf-standby-callout-phone = During the standby, call us on our standby line: { $phone }.
pdf-standby-callout-line = During the standby, call us on our standby line.
pdf-standby-callout-terms = We start acting within { $response ->
        [one] { $response } minute
       *[other] { $response } minutes
    } of your call. The time we work is billed on top of the standby: at least { $minimum ->
        [one] { $minimum } minute
       *[other] { $minimum } minutes
    }, at { $percent } % of the hourly rate.
pdf-standby-note = Note

nav-staff-bank = Bank
bank-title = Bank statements
bank-import = Import a statement
bank-import-intro = A camt.053 (XML) or MT940 file of the provider's account. Each credit is matched to an invoice by its payment reference, an invoice number in its text, or its amount from an account the customer pays from, and booked; the rest waits below. A file imported again books nothing twice.
bank-file = Statement file
bank-import-button = Import
bank-cli = From the command line:
bank-import-result = Imported: { $booked } booked, { $unmatched } waiting for you, { $seen } imported before.
bank-imported = The statement was imported.
bank-booked = The credit was booked.
bank-dismissed = The credit was set aside: it is booked on no one.
bank-waiting = { $count ->
    [one] One credit waits for you
   *[other] { $count } credits wait for you
}
bank-none-waiting = Nothing waits: every credit was booked.
bank-col-date = Date
bank-col-amount = Amount
bank-col-from = From
bank-col-text = Reference and text
bank-col-book = Book on
bank-invoice-for = Invoice for { $amount }
bank-invoice-number = invoice number
bank-book = Book
bank-dismiss = Not a customer's payment
bank-more = More credits
bank-statements = Statements imported
bank-no-statements = No statement imported yet.
bank-col-imported = Imported
bank-col-statement = Statement
bank-col-entries = Entries
bank-col-booked = Booked
bank-col-waiting = Waiting
bank-col-skipped = Skipped

pay-title = Pay online
pay-method = Payment method
pay-now = Pay { $amount } now
pay-reload = Refresh
pay-returned-paid = Thank you: your payment has been received and the invoice is paid.
pay-returned-waiting = We are waiting for the payment provider to confirm your payment. This usually takes a few seconds.
pay-returned-failed = The payment did not go through. The invoice is still open; you can try again.
pay-failed-title = Paying online is not possible right now
pay-failed-text = Try again in a few minutes.
pay-failed-text-iban = Try again in a few minutes, or pay by bank transfer to { $iban } with the payment reference on the invoice.
pay-online-title = Online payments
pay-col-date = Started
pay-col-method = Method
pay-col-status = Status
pay-col-amount = Amount
pay-col-provider = At the provider
pay-col-refund = Refund
pay-refund = Refund
pay-event-refund = Refund
pay-event-chargeback = Chargeback
pay-status-creating = Starting
pay-status-open = Not paid yet
pay-status-pending = Pending
pay-status-authorized = Authorised
pay-status-paid = Paid
pay-status-canceled = Cancelled
pay-status-expired = Expired
pay-status-failed = Failed
pay-status-unavailable = Provider unreachable
auto-title = Automatic payment
auto-offer = Pay future invoices automatically with this method (you give a mandate; you can stop at any time)
auto-on = Open invoices are collected automatically from { $account } ({ $method }).
auto-stop = Stop automatic payment
auto-method-directdebit = direct debit
auto-method-creditcard = card
auto-method-paypal = PayPal
