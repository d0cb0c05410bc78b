//! Quotes: staff make and send one (its plan prices frozen from the catalog, numbered without
//! gaps per year, mailed to the customer); the customer accepts or rejects it with a comment.
//! Accepting makes the order in one transaction: every plan line becomes a subscription that
//! starts that day (the billing run then invoices it, or asks for payment first where the
//! product says so) and every one-off line waits for the next invoice.

use loket_domain::billing::catalog::{parse_price, parse_vat_category, vat_category_name};
use loket_domain::input::{self, Sign};
use loket_domain::quote::{self, QuoteLineSpec, QuoteStatus};
use loket_domain::vat::{self, VatCategory};
use loket_domain::{FieldError, Money};
use loket_store::audit::Actor;
use loket_store::customers::Customer;
use loket_store::quotes::{self as store, NewQuote, Quote, QuoteLine};
use serde::{Deserialize, Serialize};

use crate::billing::extras::ItemInput;
use crate::billing::ops::SubscriptionInput;
use crate::{AppError, Services, audit, customer_entity, invalid};

/// A quote as staff write it.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct QuoteInput {
    pub customer_id: i64,
    /// The last day it can be accepted, YYYY-MM-DD (today up to a year ahead).
    pub valid_until: String,
    /// A note to the customer.
    #[serde(default)]
    pub note: Option<String>,
    pub lines: Vec<QuoteLineSpec>,
}

/// A quote's totals for its customer: net, VAT, and what it comes to (the first invoice:
/// one billing period of each service, its setup fee, and the one-off work).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Totals {
    pub net: Money,
    pub vat: Money,
    pub gross: Money,
}

fn quote_entity(id: i64) -> (&'static str, Option<String>) {
    ("quote", Some(id.to_string()))
}

/// The amount as a decimal the engine reads back ("12.34").
fn decimal(m: Money) -> String {
    m.to_string().split(' ').next().unwrap_or("0").to_string()
}

/// Net of a line for its first invoice: quantity × unit price, plus a service's setup fee.
pub fn line_net(l: &QuoteLine) -> i64 {
    (i128::from(l.quantity_milli) * i128::from(l.unit_price) / 1000) as i64 + l.setup_fee
}

/// What `lines` come to for `customer`, with VAT as the customer's invoice would have it.
pub fn totals(app: &Services, customer: &Customer, lines: &[QuoteLine]) -> Result<Totals, AppError> {
    let currency = app.provider.currency;
    let buyer = crate::billing::snapshot::buyer(customer);
    let mut vat_lines = Vec::with_capacity(lines.len());
    for l in lines {
        let category = parse_vat_category(&l.vat_category).unwrap_or(VatCategory::Standard);
        let treatment = vat::treatment(app.provider.address.country, buyer, category).map_err(|e| AppError::Conflict(e.to_string()))?;
        vat_lines.push(vat::Line { quantity_milli: 1000, unit_price: Money::new(line_net(l), currency), treatment });
    }
    let t = vat::totals(&vat_lines, currency).map_err(|e| AppError::Conflict(e.to_string()))?;
    Ok(Totals { net: t.net, vat: t.vat, gross: t.gross })
}

/// Makes and sends a quote; returns its id and number.
pub async fn create(app: &Services, actor: &Actor, input: &QuoteInput) -> Result<(i64, String), AppError> {
    let today = app.today();
    let (valid_until, note) = quote::check(&input.valid_until, input.note.as_deref(), &input.lines, today).map_err(AppError::Invalid)?;
    let billing = app.billing();
    let mut tx = billing.begin_issuing().await?;
    let customer = loket_store::customers::customer(&mut tx, input.customer_id).await?;
    let Some(customer) = customer.filter(|c| c.replaced_by.is_none()) else {
        return Err(invalid("customer_id", format!("no current customer card {}", input.customer_id)));
    };
    let catalog = billing.catalog(&mut tx).await?;
    let currency = app.provider.currency;
    let mut e: Vec<FieldError> = Vec::new();
    let mut lines = Vec::new();
    for (i, l) in input.lines.iter().enumerate().filter(|(_, l)| !l.is_blank()) {
        let f = |name: &str| format!("lines[{i}].{name}");
        let position = lines.len() as i64 + 1;
        if let Some(code) = l.plan.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            let Some(plan) = catalog.plan_by_code(code) else {
                e.push(FieldError::new(f("plan"), format!("no plan with the code `{}`", input::sample(code))));
                continue;
            };
            let (Some(terms), Some(product)) = (catalog.terms.get(&plan.terms_id), catalog.products.get(&plan.product_id)) else {
                e.push(FieldError::new(f("plan"), "this plan's terms or product are missing"));
                continue;
            };
            let period = terms.terms.billing_period;
            let price_override = l.price.as_deref().map(str::trim).filter(|p| !p.is_empty()).and_then(|p| {
                let mut errs = Vec::new();
                let parsed = parse_price(&f("price"), p, currency, &mut errs);
                e.extend(errs);
                parsed
            });
            let Some(price) = price_override.or_else(|| plan.price_for(period)) else {
                e.push(FieldError::new(f("plan"), format!("plan {} has no price per {period}", plan.code)));
                continue;
            };
            let label = match l.label.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                Some(s) => input::text(&f("label"), s, 200).map_err(|err| e.push(err)).ok(),
                None => None,
            };
            lines.push(QuoteLine {
                position,
                plan_id: Some(plan.id),
                label,
                description: plan.name.clone(),
                quantity_milli: 1000,
                unit_price: price.minor,
                price_override: price_override.map(|m| m.minor),
                setup_fee: plan.setup_fee.minor,
                billing_period: Some(period.to_string()),
                vat_category: vat_category_name(product.product.vat_category).to_string(),
                subscription_id: None,
                item_id: None,
            });
        } else {
            let description = input::text(&f("description"), l.description.as_deref().unwrap_or(""), 300).map_err(|err| e.push(err)).ok();
            let quantity = input::quantity(&f("quantity"), l.quantity.as_deref().map(str::trim).filter(|q| !q.is_empty()).unwrap_or("1"))
                .map_err(|err| e.push(err))
                .ok();
            let price = input::amount(&f("unit_price"), l.unit_price.as_deref().unwrap_or("").trim(), currency, Sign::NotNegative)
                .map_err(|err| e.push(err))
                .ok();
            let category = match l.vat_category.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
                None => Some(VatCategory::Standard),
                Some(c) => parse_vat_category(c).or_else(|| {
                    e.push(FieldError::new(f("vat_category"), "use standard, reduced, super_reduced, zero or exempt"));
                    None
                }),
            };
            if let (Some(description), Some(quantity_milli), Some(price), Some(category)) = (description, quantity, price, category) {
                lines.push(QuoteLine {
                    position,
                    plan_id: None,
                    label: None,
                    description,
                    quantity_milli,
                    unit_price: price.minor,
                    price_override: None,
                    setup_fee: 0,
                    billing_period: None,
                    vat_category: vat_category_name(category).to_string(),
                    subscription_id: None,
                    item_id: None,
                });
            }
        }
    }
    if !e.is_empty() {
        return Err(AppError::Invalid(e));
    }
    let total = totals(app, &customer, &lines)?;
    let year = today.year();
    let number = quote::quote_number(year, store::count_in_year(&mut tx, year).await? + 1);
    let by = actor.to_string();
    let id = store::create(
        &mut tx,
        &NewQuote {
            number: &number,
            customer_id: customer.id,
            issue_date: today,
            valid_until,
            currency,
            note: note.as_deref(),
            created_by: &by,
        },
        &lines,
    )
    .await?;
    let after =
        serde_json::json!({ "quote": id, "number": number, "lines": lines.len(), "gross": total.gross.minor, "valid_until": valid_until });
    audit(&mut tx, actor, "quote.create", customer_entity(customer.id), None, Some(after)).await?;
    let lang = customer.card.language;
    let data = serde_json::json!({
        "number": number,
        "customer": customer.card.legal_name,
        "customer_number": customer.number,
        "total_text": loket_i18n::format_money(lang, if customer.card.kind == loket_domain::customer::CustomerKind::Consumer { total.gross } else { total.net }),
        "vat_included": customer.card.kind == loket_domain::customer::CustomerKind::Consumer,
        "valid_until_text": loket_i18n::format_date(lang, valid_until),
        "url": format!("{}/customers/{}/quotes/{}", app.public_url.trim_end_matches('/'), customer.id, id),
    });
    // The mail carries the quote's PDF, the same bytes its page serves.
    let q = store::quote(&mut tx, id).await?.ok_or(AppError::NotFound("quote"))?;
    let file = pdf(app, &customer, &q, &store::lines(&mut tx, id).await?)?;
    app.mail_with(&mut tx, "quote-sent", lang, &customer.card.email, data, &[loket_mail::Attachment::pdf(file.file_name, file.content)])
        .await?;
    loket_store::commit(tx).await?;
    app.wake_jobs();
    Ok((id, number))
}

/// What a decision made.
#[derive(Debug, Clone, Serialize)]
pub struct Decided {
    pub status: QuoteStatus,
    pub subscriptions: Vec<i64>,
    pub items: Vec<i64>,
}

/// The customer's decision on quote `id` of card `customer_id` (a quote of another card is not
/// found): accepting makes the order, rejecting records why.
pub async fn decide(
    app: &Services,
    actor: &Actor,
    customer_id: i64,
    id: i64,
    accept: bool,
    comment: Option<&str>,
) -> Result<Decided, AppError> {
    let today = app.today();
    let comment = match comment.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => Some(input::multiline("comment", c, quote::MAX_TEXT)?),
        None => None,
    };
    let billing = app.billing();
    let mut tx = billing.begin_issuing().await?;
    let q: Quote = store::quote(&mut tx, id).await?.filter(|q| q.customer_id == customer_id).ok_or(AppError::NotFound("quote"))?;
    quote::may_decide(q.status, q.valid_until, today, accept).map_err(|r| AppError::Conflict(r.to_string()))?;
    let customer = loket_store::customers::customer(&mut tx, customer_id).await?.ok_or(AppError::NotFound("customer"))?;
    let lines = store::lines(&mut tx, id).await?;
    let mut made = Decided {
        status: if accept { QuoteStatus::Accepted } else { QuoteStatus::Rejected },
        subscriptions: Vec::new(),
        items: Vec::new(),
    };
    if accept {
        let catalog = billing.catalog(&mut tx).await?;
        for l in &lines {
            match l.plan_id {
                Some(plan_id) => {
                    let plan = catalog.plans.get(&plan_id).ok_or(AppError::Conflict("a plan on this quote no longer exists".into()))?;
                    let input = SubscriptionInput {
                        customer_id,
                        plan: plan.code.clone(),
                        label: l.label.clone().unwrap_or_default(),
                        start_date: today.to_string(),
                        price: l.price_override.map(|p| decimal(Money::new(p, q.currency))),
                        ..SubscriptionInput::default()
                    };
                    let sid = billing.subscribe_in(&mut tx, actor, &input).await?;
                    store::set_line_result(&mut tx, id, l.position, Some(sid), None).await?;
                    made.subscriptions.push(sid);
                }
                None => {
                    let quantity = format!("{}.{:03}", l.quantity_milli / 1000, l.quantity_milli % 1000);
                    let price = decimal(Money::new(l.unit_price, q.currency));
                    let item = ItemInput {
                        customer_id,
                        description: &l.description,
                        quantity: &quantity,
                        unit_price: &price,
                        vat_category: Some(&l.vat_category),
                        on: today,
                        source: "quote",
                    };
                    let iid = billing.add_item_in(&mut tx, actor, &item).await?;
                    store::set_line_result(&mut tx, id, l.position, None, Some(iid)).await?;
                    made.items.push(iid);
                }
            }
        }
    }
    if !store::decide(&mut tx, id, made.status, today, &actor.to_string(), comment.as_deref()).await? {
        return Err(AppError::Conflict("this quote was decided already".into()));
    }
    let after = serde_json::json!({ "quote": id, "number": q.number, "comment": comment, "subscriptions": made.subscriptions, "items": made.items });
    let action = if accept { "quote.accept" } else { "quote.reject" };
    audit(&mut tx, actor, action, quote_entity(id), None, Some(after)).await?;
    let data = serde_json::json!({
        "number": q.number,
        "customer": format!("{} {}", customer.number, customer.card.legal_name),
        "accepted": accept,
        "comment": comment.clone().unwrap_or_default(),
        "url": format!("{}/staff/customers/{}/quotes/{}", app.public_url.trim_end_matches('/'), customer_id, id),
    });
    app.mail(&mut tx, "quote-decided", app.provider.default_language, &app.provider.email, data).await?;
    loket_store::commit(tx).await?;
    app.wake_jobs();
    Ok(made)
}

/// The quote as a document the PDF renderer takes: the customer and provider as they are now
/// (a quote is not issued like an invoice), each line with the VAT its invoice would have.
pub fn document(app: &Services, customer: &Customer, q: &Quote, lines: &[QuoteLine]) -> Result<loket_documents::Doc, AppError> {
    let currency = app.provider.currency;
    let buyer = crate::billing::snapshot::buyer(customer);
    let mut vat_lines = Vec::with_capacity(lines.len());
    let mut doc_lines = Vec::with_capacity(lines.len());
    for l in lines {
        let category = parse_vat_category(&l.vat_category).unwrap_or(VatCategory::Standard);
        let treatment = vat::treatment(app.provider.address.country, buyer, category).map_err(|e| AppError::Conflict(e.to_string()))?;
        let net = line_net(l);
        vat_lines.push(vat::Line { quantity_milli: 1000, unit_price: Money::new(net, currency), treatment });
        let description = match &l.label {
            Some(label) if !label.is_empty() => format!("{} — {label}", l.description),
            _ => l.description.clone(),
        };
        let (quantity_milli, unit_price) = if l.setup_fee > 0 { (1000, net) } else { (l.quantity_milli, l.unit_price) };
        doc_lines.push(loket_documents::DocLine {
            description,
            period: None,
            quantity_milli,
            unit_price,
            net,
            vat_code: treatment.code().into(),
            vat_rate: i64::from(treatment.rate()),
        });
    }
    let t = vat::totals(&vat_lines, currency).map_err(|e| AppError::Conflict(e.to_string()))?;
    Ok(loket_documents::Doc {
        kind: loket_domain::billing::document::DocKind::ProForma,
        number: q.number.clone(),
        issue_date: q.issue_date,
        due_date: q.valid_until,
        currency,
        language: customer.card.language,
        seller: crate::billing::snapshot::provider(&app.provider),
        buyer: crate::billing::snapshot::customer(customer),
        lines: doc_lines,
        breakdown: crate::billing::snapshot::breakdown(&t),
        net: t.net.minor,
        vat: t.vat.minor,
        gross: t.gross.minor,
        payment_reference: String::new(),
        corrects: None,
        quote: Some(loket_documents::QuoteTerms { valid_until: q.valid_until, note: q.note.clone() }),
    })
}

/// The quote's PDF, rendered now (the same quote gives the same bytes).
pub fn pdf(
    app: &Services,
    customer: &Customer,
    q: &Quote,
    lines: &[QuoteLine],
) -> Result<loket_store::billing::files::StoredFile, AppError> {
    use sha2::Digest;
    let doc = document(app, customer, q, lines)?;
    let content = loket_pdf::render(&doc, &app.documents.letterhead);
    Ok(loket_store::billing::files::StoredFile {
        file_name: format!("quote-{}.pdf", crate::documents::safe(&q.number)),
        sha256: hex::encode(sha2::Sha256::digest(&content)),
        content,
    })
}
