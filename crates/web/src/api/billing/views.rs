//! The shapes of `/api/v1` billing requests and answers, each its own type with its schema in
//! the OpenAPI document, built from the engine's and the store's values. Amounts are integers in
//! minor units (cents) unless a field says otherwise; dates are `YYYY-MM-DD`; an end date is
//! exclusive (the service runs up to the day before), and `last_day` gives that day.

use std::collections::BTreeMap;

use jiff::civil::Date;
use loket_app::billing::ops::{Cancelled, Ended, PlanChanged};
use loket_app::billing::overview::{Overview, SubscriptionOverview};
use loket_app::billing::run::Report;
use loket_domain::billing::catalog::TermsSpec;
use loket_store::billing::catalog::{Catalog, PlanRow, ProductRow, TermsRow};
use loket_store::billing::documents::{Document, DocumentSummary, Line, Party, VatRow};
use loket_store::billing::subscriptions::Subscription;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

fn last_day(end: Option<Date>) -> Option<Date> {
    end.map(|e| e.yesterday().unwrap_or(e))
}

/// Named contract terms.
#[derive(Serialize, ToSchema)]
pub struct TermsView {
    pub id: i64,
    pub code: String,
    pub spec: TermsSpec,
}

impl From<&TermsRow> for TermsView {
    fn from(t: &TermsRow) -> Self {
        TermsView { id: t.id, code: t.code.clone(), spec: t.spec.clone() }
    }
}

/// A product.
#[derive(Serialize, ToSchema)]
pub struct ProductView {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// hosting, domain, mail, showcase, banner, project, support, standby or add_on
    pub kind: String,
    /// standard, reduced, super_reduced, zero or exempt
    pub vat_category: String,
    pub requires_prepayment: bool,
}

impl From<&ProductRow> for ProductView {
    fn from(p: &ProductRow) -> Self {
        ProductView {
            id: p.id,
            code: p.code.clone(),
            name: p.product.name.clone(),
            kind: p.product.kind.name().into(),
            vat_category: loket_domain::billing::catalog::vat_category_name(p.product.vat_category).into(),
            requires_prepayment: p.product.requires_prepayment,
        }
    }
}

/// A plan: a product on named terms, with a net price per billing period.
#[derive(Serialize, ToSchema)]
pub struct PlanView {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// The product's code.
    pub product: Option<String>,
    /// The terms' code.
    pub terms: Option<String>,
    pub currency: String,
    /// Net price per billing period as written (`month`, `quarter`, `year`, …), minor units.
    pub prices: BTreeMap<String, i64>,
    /// Net, once, on the first invoice; minor units.
    pub setup_fee: i64,
}

impl PlanView {
    pub fn new(p: &PlanRow, catalog: &Catalog) -> Self {
        PlanView {
            id: p.id,
            code: p.code.clone(),
            name: p.name.clone(),
            product: catalog.products.get(&p.product_id).map(|x| x.code.clone()),
            terms: catalog.terms.get(&p.terms_id).map(|t| t.code.clone()),
            currency: p.currency.code().into(),
            prices: p.prices.iter().map(|(k, m)| (k.clone(), m.minor)).collect(),
            setup_fee: p.setup_fee.minor,
        }
    }
}

/// What was created or replaced.
#[derive(Serialize, ToSchema)]
pub struct Stored {
    pub id: i64,
    pub code: String,
}

/// Something created, by its id.
#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

/// A subscription: a customer's service on a plan.
#[derive(Serialize, ToSchema)]
pub struct SubscriptionView {
    pub id: i64,
    pub customer_id: i64,
    pub plan_id: i64,
    /// Terms that replace the plan's, if any.
    pub terms_id: Option<i64>,
    pub label: String,
    /// A net price per billing period that replaces the plan's, minor units.
    pub price: Option<i64>,
    /// pending_payment, active, renewal_offered, cancellation_requested, suspended, ended,
    /// lapsed or terminated
    pub state: String,
    pub start_date: Date,
    pub ordered_on: Date,
    /// How far it is invoiced (exclusive).
    pub invoiced_until: Option<Date>,
    /// Opt-in renewal: the end of the last confirmed term (exclusive).
    pub renewed_until: Option<Date>,
    /// The end of the service (exclusive), once known.
    pub ends_on: Option<Date>,
    /// Its last day of service.
    pub last_day: Option<Date>,
    pub suspended_since: Option<Date>,
    pub cancel_received_on: Option<Date>,
    pub cancel_channel: Option<String>,
    pub renewal_offered_for: Option<Date>,
}

impl From<Subscription> for SubscriptionView {
    fn from(s: Subscription) -> Self {
        SubscriptionView {
            id: s.id,
            customer_id: s.customer_id,
            plan_id: s.plan_id,
            terms_id: s.terms_id,
            state: s.state().name().into(),
            label: s.label,
            price: s.price,
            start_date: s.start_date,
            ordered_on: s.ordered_on,
            invoiced_until: s.invoiced_until,
            renewed_until: s.renewed_until,
            ends_on: s.ends_on,
            last_day: last_day(s.ends_on),
            suspended_since: s.suspended_since,
            cancel_received_on: s.cancel_received_on,
            cancel_channel: s.cancel_channel,
            renewal_offered_for: s.renewal_offered_for,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancellationInput {
    /// The day the cancellation reached the provider, YYYY-MM-DD.
    #[schema(format = Date, example = "2027-01-01")]
    pub received_on: String,
    /// email, portal, letter, registered_letter or phone — the terms say which count.
    #[schema(value_type = ChannelName)]
    pub channel: String,
}

/// A recorded cancellation and when it takes effect.
#[derive(Serialize, ToSchema)]
pub struct CancellationView {
    pub subscription_id: i64,
    pub received_on: Date,
    pub channel: String,
    /// The service ends here (exclusive).
    pub effective: Date,
    /// Its last day of service.
    pub last_day: Date,
    /// The last day a cancellation could arrive to end the service on `effective`.
    pub deadline: Date,
    pub in_time_for_current_term: bool,
    /// For a late cancellation: the deadline of the current term that it missed.
    pub missed_deadline: Option<Date>,
    /// Credit notes for what was invoiced beyond the end.
    pub credit_notes: Vec<String>,
}

impl From<Cancelled> for CancellationView {
    fn from(c: Cancelled) -> Self {
        CancellationView {
            subscription_id: c.subscription_id,
            received_on: c.received_on,
            channel: c.channel,
            effective: c.cancellation.effective,
            last_day: c.last_day,
            deadline: c.cancellation.deadline,
            in_time_for_current_term: c.cancellation.in_time_for_current_term,
            missed_deadline: c.cancellation.missed_deadline,
            credit_notes: c.credit_notes,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndInput {
    /// The service ends on this day (exclusive: the day before is its last), YYYY-MM-DD.
    #[schema(format = Date, example = "2027-01-01")]
    pub on: String,
}

/// A subscription ended at once.
#[derive(Serialize, ToSchema)]
pub struct EndedView {
    pub subscription_id: i64,
    pub ends_on: Date,
    pub last_day: Date,
    pub credit_notes: Vec<String>,
}

impl From<Ended> for EndedView {
    fn from(e: Ended) -> Self {
        EndedView { subscription_id: e.subscription_id, ends_on: e.ends_on, last_day: e.last_day, credit_notes: e.credit_notes }
    }
}

/// A renewal: the service now runs until `renewed_until` (exclusive).
#[derive(Serialize, ToSchema)]
pub struct RenewalView {
    pub renewed_until: Date,
    pub last_day: Date,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanChangeInput {
    /// The new plan's code.
    pub plan: String,
    /// From this day, YYYY-MM-DD.
    #[schema(format = Date, example = "2027-01-01")]
    pub on: String,
}

/// What a change of plan settled.
#[derive(Serialize, ToSchema)]
pub struct PlanChangeView {
    /// The line added to the next invoice for the difference, if any.
    pub settlement_item: Option<i64>,
    pub settlement_items: Vec<i64>,
    /// Credit notes for a cheaper plan's difference on what was invoiced.
    pub credit_notes: Vec<String>,
}

impl From<PlanChanged> for PlanChangeView {
    fn from(p: PlanChanged) -> Self {
        PlanChangeView { settlement_item: p.settlement_item, settlement_items: p.settlement_items, credit_notes: p.credit_notes }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemInput {
    pub customer_id: i64,
    /// What the line is for, at most 300 characters.
    pub description: String,
    /// e.g. "1.5" (hours): more than zero, at most three decimals.
    #[schema(pattern = r"^[0-9]{1,7}(\.[0-9]{1,3})?$", example = "1.5")]
    pub quantity: String,
    /// Net, e.g. "85.00".
    #[schema(pattern = r"^[0-9]{1,10}(\.[0-9]{1,2})?$", example = "121.00")]
    pub unit_price: String,
    /// standard (default), reduced, super_reduced, zero or exempt
    pub vat_category: Option<String>,
    /// YYYY-MM-DD; default today.
    #[schema(format = Date)]
    pub on: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectInput {
    pub customer_id: i64,
    pub description: String,
    /// Net total, e.g. "2400.00"
    #[schema(pattern = r"^[0-9]{1,10}(\.[0-9]{1,2})?$", example = "121.00")]
    pub total: String,
    /// Invoiced at signing, 0 to 100.
    #[schema(maximum = 100)]
    pub deposit_percent: u32,
    pub vat_category: Option<String>,
    #[schema(format = Date, example = "2027-01-01")]
    pub signed_on: String,
}

#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Delivery {
    #[schema(format = Date, example = "2027-01-01")]
    pub delivered_on: String,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InvoiceSearch {
    /// Only this customer's documents (required for customers' users).
    pub customer_id: Option<i64>,
    /// The start of the number (`F2027-000`), or words of the customer's name.
    pub q: Option<String>,
    /// open, paid, credited, converted, settled or void
    #[param(value_type = Option<DocumentStateName>)]
    pub state: Option<String>,
    /// invoice, credit_note or pro_forma
    #[param(value_type = Option<DocumentKindName>)]
    pub kind: Option<String>,
    /// The next page: the `next` of the previous answer.
    pub before: Option<String>,
    /// 1 to 1000; default 100.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
}

/// A document in a list.
#[derive(Serialize, ToSchema)]
pub struct InvoiceSummaryView {
    pub id: i64,
    /// invoice, credit_note or pro_forma
    pub kind: String,
    pub number: String,
    pub customer_id: i64,
    /// The customer's name today.
    pub customer_name: String,
    pub issue_date: Date,
    pub due_date: Date,
    pub currency: String,
    pub net: i64,
    pub vat: i64,
    pub gross: i64,
    /// open, paid, credited, converted, settled or void
    pub state: String,
    pub paid: i64,
    pub credited: i64,
    /// What is still to be paid.
    pub open: i64,
    /// ISO 11649 creditor reference to pay with.
    pub payment_reference: String,
    /// For a credit note: the invoice it corrects.
    pub credits_invoice_id: Option<i64>,
    /// Where the next page starts (give it as `before`).
    pub cursor: String,
}

impl From<DocumentSummary> for InvoiceSummaryView {
    fn from(d: DocumentSummary) -> Self {
        InvoiceSummaryView {
            open: d.open_amount(),
            cursor: format!("{}_{}", d.issue_date, d.id),
            id: d.id,
            kind: d.kind.name().into(),
            number: d.number,
            customer_id: d.customer_id,
            customer_name: d.customer_name,
            issue_date: d.issue_date,
            due_date: d.due_date,
            currency: d.currency.code().into(),
            net: d.net,
            vat: d.vat,
            gross: d.gross,
            state: d.state.name().into(),
            paid: d.paid,
            credited: d.credited,
            payment_reference: d.payment_reference,
            credits_invoice_id: d.credits_invoice_id,
        }
    }
}

/// A party to a document as frozen on it when it was issued.
#[derive(Serialize, ToSchema)]
pub struct PartyView {
    pub number: Option<String>,
    pub kind: Option<String>,
    pub legal_name: Option<String>,
    pub trading_name: Option<String>,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub email: Option<String>,
    pub vat_number: Option<String>,
    pub coc_number: Option<String>,
    pub tax_code: Option<String>,
    pub payment_method: Option<String>,
    pub iban: Option<String>,
    pub bic: Option<String>,
}

impl From<Party> for PartyView {
    fn from(p: Party) -> Self {
        PartyView {
            number: p.number,
            kind: p.kind,
            legal_name: p.legal_name,
            trading_name: p.trading_name,
            street: p.street,
            postal_code: p.postal_code,
            city: p.city,
            country: p.country,
            email: p.email,
            vat_number: p.vat_number,
            coc_number: p.coc_number,
            tax_code: p.tax_code,
            payment_method: p.payment_method,
            iban: p.iban,
            bic: p.bic,
        }
    }
}

/// One row of the VAT breakdown.
#[derive(Serialize, ToSchema)]
pub struct VatRowView {
    /// S, Z, E, AE or O (EN 16931).
    pub code: String,
    /// Basis points: 2100 is 21 %.
    pub rate: i64,
    pub taxable: i64,
    pub vat: i64,
}

impl From<VatRow> for VatRowView {
    fn from(v: VatRow) -> Self {
        VatRowView { code: v.code, rate: v.rate, taxable: v.taxable, vat: v.vat }
    }
}

/// A line of a document.
#[derive(Serialize, ToSchema)]
pub struct LineView {
    pub position: i64,
    pub description: String,
    /// The period of service (end exclusive).
    pub period_from: Option<Date>,
    pub period_to: Option<Date>,
    /// Its last day.
    pub period_last_day: Option<Date>,
    /// Thousandths: 1500 is 1.5.
    pub quantity_milli: i64,
    pub unit_price: i64,
    pub net: i64,
    pub vat_code: String,
    /// Basis points.
    pub vat_rate: i64,
    pub subscription_id: Option<i64>,
    /// On a credit note: the position of the line it corrects.
    pub credits_position: Option<i64>,
}

impl From<Line> for LineView {
    fn from(l: Line) -> Self {
        LineView {
            position: l.position,
            description: l.description,
            period_last_day: last_day(l.period_to),
            period_from: l.period_from,
            period_to: l.period_to,
            quantity_milli: l.quantity_milli,
            unit_price: l.unit_price,
            net: l.net,
            vat_code: l.vat_code,
            vat_rate: l.vat_rate,
            subscription_id: l.subscription_id,
            credits_position: l.credits_position,
        }
    }
}

/// A document as issued, with its lines.
#[derive(Serialize, ToSchema)]
pub struct InvoiceView {
    pub id: i64,
    pub kind: String,
    pub number: String,
    pub customer_id: i64,
    pub issue_date: Date,
    pub due_date: Date,
    pub currency: String,
    pub net: i64,
    pub vat: i64,
    pub gross: i64,
    pub vat_breakdown: Vec<VatRowView>,
    /// The customer as on the document.
    pub customer: PartyView,
    /// The provider as on the document.
    pub provider: PartyView,
    /// nl, it or en
    pub language: String,
    pub payment_reference: String,
    pub credits_invoice_id: Option<i64>,
    pub pro_forma_id: Option<i64>,
    pub state: String,
    pub paid: i64,
    pub credited: i64,
    pub paid_on: Option<Date>,
    pub open: i64,
    pub lines: Vec<LineView>,
}

impl InvoiceView {
    pub fn new(d: Document, lines: Vec<Line>) -> Self {
        InvoiceView {
            open: d.open_amount(),
            id: d.id,
            kind: d.kind.name().into(),
            number: d.number,
            customer_id: d.customer_id,
            issue_date: d.issue_date,
            due_date: d.due_date,
            currency: d.currency.code().into(),
            net: d.net,
            vat: d.vat,
            gross: d.gross,
            vat_breakdown: d.vat_breakdown.into_iter().map(VatRowView::from).collect(),
            customer: d.customer.into(),
            provider: d.provider.into(),
            language: d.language,
            payment_reference: d.payment_reference,
            credits_invoice_id: d.credits_invoice_id,
            pro_forma_id: d.pro_forma_id,
            state: d.state.name().into(),
            paid: d.paid,
            credited: d.credited,
            paid_on: d.paid_on,
            lines: lines.into_iter().map(LineView::from).collect(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreditNoteInput {
    /// Positions of the lines to credit; default: all.
    pub lines: Option<Vec<i64>>,
    /// Why, at most 500 characters.
    pub reason: String,
    /// YYYY-MM-DD; default today.
    #[schema(format = Date)]
    pub issue_date: Option<String>,
}

/// An issued document, by its number.
#[derive(Serialize, ToSchema)]
pub struct NumberView {
    pub number: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentInput {
    /// The customer; may be left out when `invoice_id` is given.
    pub customer_id: Option<i64>,
    /// The invoice or pro forma paid; left out: the oldest open ones.
    pub invoice_id: Option<i64>,
    /// e.g. "121.00"; more than is open goes to the credit balance.
    #[schema(pattern = r"^[0-9]{1,10}(\.[0-9]{1,2})?$", example = "121.00")]
    pub amount: String,
    /// bank_transfer, direct_debit, online or credit
    #[schema(value_type = PaymentMethodName)]
    pub method: String,
    #[schema(format = Date, example = "2027-01-05")]
    pub received_on: String,
    /// The bank's reference, at most 140 characters.
    pub reference: Option<String>,
}

/// A payment applied to a document.
#[derive(Serialize, ToSchema)]
pub struct AppliedView {
    pub number: String,
    pub amount: i64,
}

/// What a payment did.
#[derive(Serialize, ToSchema)]
pub struct PaymentView {
    pub payment_id: i64,
    pub applied: Vec<AppliedView>,
    /// What went to the credit balance.
    pub to_credit: i64,
    /// Invoices made from pro formas it paid.
    pub converted: Vec<String>,
    /// Suspended services are back.
    pub reactivated: bool,
    /// The reactivation fee's invoice, if one was issued.
    pub fee_invoice: Option<String>,
}

impl From<loket_app::billing::money::PaymentResult> for PaymentView {
    fn from(r: loket_app::billing::money::PaymentResult) -> Self {
        PaymentView {
            payment_id: r.payment_id,
            applied: r.applied.into_iter().map(|(number, amount)| AppliedView { number, amount }).collect(),
            to_credit: r.to_credit,
            converted: r.converted,
            reactivated: r.reactivated,
            fee_invoice: r.fee_invoice,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundInput {
    pub customer_id: i64,
    #[schema(pattern = r"^[0-9]{1,10}(\.[0-9]{1,2})?$", example = "10.00")]
    pub amount: String,
    #[schema(format = Date, example = "2027-01-01")]
    pub paid_on: String,
    pub reference: Option<String>,
}

/// An issued document in a run's report.
#[derive(Serialize, ToSchema)]
pub struct IssuedView {
    pub number: String,
    pub kind: String,
    /// The customer's number.
    pub customer: String,
    pub gross: i64,
    pub due_date: String,
    pub lines: Vec<String>,
}

/// What a billing run did.
#[derive(Serialize, ToSchema)]
pub struct ReportView {
    pub date: String,
    pub dry_run: bool,
    pub invoices: usize,
    pub pro_formas: usize,
    pub invoiced_gross: i64,
    pub documents: Vec<IssuedView>,
    pub ended: usize,
    pub renewal_offers: usize,
    pub lapsed: usize,
    pub reminders: usize,
    pub suspended_customers: usize,
    pub terminated_customers: usize,
    pub upcoming_reminders: usize,
    pub credit_notes: usize,
    pub skipped_customers: usize,
    pub problems: Vec<String>,
}

impl From<Report> for ReportView {
    fn from(r: Report) -> Self {
        ReportView {
            date: r.date,
            dry_run: r.dry_run,
            invoices: r.invoices,
            pro_formas: r.pro_formas,
            invoiced_gross: r.invoiced_gross,
            documents: r
                .documents
                .into_iter()
                .map(|d| IssuedView {
                    number: d.number,
                    kind: d.kind.into(),
                    customer: d.customer,
                    gross: d.gross,
                    due_date: d.due_date,
                    lines: d.lines,
                })
                .collect(),
            ended: r.ended,
            renewal_offers: r.renewal_offers,
            lapsed: r.lapsed,
            reminders: r.reminders,
            suspended_customers: r.suspended_customers,
            terminated_customers: r.terminated_customers,
            upcoming_reminders: r.upcoming_reminders,
            credit_notes: r.credit_notes,
            skipped_customers: r.skipped_customers,
            problems: r.problems,
        }
    }
}

/// A subscription in a card's billing overview.
#[derive(Serialize, ToSchema)]
pub struct SubscriptionOverviewView {
    pub id: i64,
    pub label: String,
    pub plan: String,
    pub plan_code: String,
    pub state: String,
    pub start_date: Date,
    /// Net per billing period.
    pub price: i64,
    /// With VAT.
    pub price_gross: i64,
    pub billing_period: String,
    pub term_start: Option<Date>,
    /// Exclusive.
    pub term_end: Option<Date>,
    /// Cancel on or before this day …
    pub cancel_before: Option<Date>,
    /// … to end the service here (exclusive).
    pub ends_if_cancelled: Option<Date>,
    pub next_invoice_date: Option<Date>,
    pub next_invoice_amount: Option<i64>,
    pub next_invoice_gross: Option<i64>,
    pub ends_on: Option<Date>,
    pub last_day: Option<Date>,
    pub opt_in: bool,
    pub renewed_until: Option<Date>,
    pub renewable: bool,
    pub suspended_since: Option<Date>,
    pub cancellation_channels: Vec<String>,
}

impl From<SubscriptionOverview> for SubscriptionOverviewView {
    fn from(s: SubscriptionOverview) -> Self {
        SubscriptionOverviewView {
            id: s.id,
            label: s.label,
            plan: s.plan,
            plan_code: s.plan_code,
            state: s.state.into(),
            start_date: s.start_date,
            price: s.price,
            price_gross: s.price_gross,
            billing_period: s.billing_period,
            term_start: s.term_start,
            term_end: s.term_end,
            cancel_before: s.cancel_before,
            ends_if_cancelled: s.ends_if_cancelled,
            next_invoice_date: s.next_invoice_date,
            next_invoice_amount: s.next_invoice_amount,
            next_invoice_gross: s.next_invoice_gross,
            ends_on: s.ends_on,
            last_day: s.last_day,
            opt_in: s.opt_in,
            renewed_until: s.renewed_until,
            renewable: s.renewable,
            suspended_since: s.suspended_since,
            cancellation_channels: s.cancellation_channels.into_iter().map(String::from).collect(),
        }
    }
}

/// A card's billing at a glance.
#[derive(Serialize, ToSchema)]
pub struct OverviewView {
    pub customer_id: i64,
    /// A private customer: prices are shown with VAT.
    pub consumer: bool,
    pub credit_balance: i64,
    pub repeatedly_late: bool,
    pub subscriptions: Vec<SubscriptionOverviewView>,
}

impl From<Overview> for OverviewView {
    fn from(o: Overview) -> Self {
        OverviewView {
            customer_id: o.customer_id,
            consumer: o.consumer,
            credit_balance: o.credit_balance,
            repeatedly_late: o.repeatedly_late,
            subscriptions: o.subscriptions.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OverviewQuery {
    /// The day to look from, YYYY-MM-DD; default today in the provider's time zone.
    #[param(format = Date)]
    pub on: Option<String>,
}

/// How money arrived.
#[derive(ToSchema)]
#[allow(non_camel_case_types, dead_code)]
pub enum PaymentMethodName {
    bank_transfer,
    direct_debit,
    online,
    credit,
}

/// How a cancellation reached the provider.
#[derive(ToSchema)]
#[allow(non_camel_case_types, dead_code)]
pub enum ChannelName {
    email,
    portal,
    letter,
    registered_letter,
    phone,
}

/// Where a document stands.
#[derive(ToSchema)]
#[allow(non_camel_case_types, dead_code)]
pub enum DocumentStateName {
    open,
    paid,
    credited,
    converted,
    settled,
    void,
}

/// What a document is.
#[derive(ToSchema)]
#[allow(non_camel_case_types, dead_code)]
pub enum DocumentKindName {
    invoice,
    credit_note,
    pro_forma,
}
