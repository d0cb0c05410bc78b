//! Invoices, credit notes and pro formas, payments and refunds, and a billing run's report.

use jiff::civil::Date;
use loket_app::billing::overview::{Overview, SubscriptionOverview};
use loket_app::billing::run::Report;
use loket_store::billing::documents::{Document, DocumentSummary, Line, Party, VatRow};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::*;

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
    /// One-off lines (extra work, support hours, fees, availability credits) waiting for the
    /// next invoice.
    pub pending: Vec<PendingLineView>,
}

/// A one-off line waiting for the next invoice; amounts in cents.
#[derive(Serialize, ToSchema)]
pub struct PendingLineView {
    pub description: String,
    /// The day it was recorded.
    #[schema(value_type = String, format = Date)]
    pub created_on: String,
    /// In thousandths: 1500 is 1.5.
    pub quantity_milli: i64,
    /// Without VAT.
    pub net: i64,
    /// With the VAT the line will carry for this customer.
    pub gross: i64,
}

impl From<Overview> for OverviewView {
    fn from(o: Overview) -> Self {
        OverviewView {
            customer_id: o.customer_id,
            consumer: o.consumer,
            credit_balance: o.credit_balance,
            repeatedly_late: o.repeatedly_late,
            subscriptions: o.subscriptions.into_iter().map(Into::into).collect(),
            pending: o
                .pending
                .into_iter()
                .map(|p| PendingLineView {
                    description: p.description,
                    created_on: p.created_on.to_string(),
                    quantity_milli: p.quantity_milli,
                    net: p.net,
                    gross: p.gross,
                })
                .collect(),
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
