// Loket's pages in a real browser (headless Chromium through playwright-core), against a running
// `loket serve --demo`. Usage: node panel.mjs BASE_URL SCREENSHOT_DIR
//
// 1. Flows people do: sign in, open and print an invoice, download it as PDF (and not another
//    card's), cancel a subscription and see when it ends, accept a quote, request a change of
//    address that staff approve, change language, staff download an invoice, staff record a
//    cancellation that came by registered letter, a customer opens a ticket with an attachment
//    and staff note and answer it, the standby planner prices a weekend.
// 2. Every page, for each kind of visitor: no axe-core violation of serious or critical impact,
//    no sideways scrolling at 360 px (the document is exactly as wide as the viewport), and a
//    screenshot at 1280 and 390 px.
// Exits non-zero naming every failure.
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';

const BASE = (process.argv[2] || 'http://127.0.0.1:8080').replace(/\/$/, '');
const SHOTS = process.argv[3] || 'target/screenshots';
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const CUSTOMER_PW = 'loket-demo-klant';
const STAFF_PW = 'loket-demo-staff';
mkdirSync(SHOTS, { recursive: true });

const failures = [];
const fail = (what) => { failures.push(what); console.log(`FAIL ${what}`); };
const ok = (what) => console.log(`ok   ${what}`);
const check = (cond, what) => (cond ? ok(what) : fail(what));

const browser = await chromium.launch({
  executablePath: process.env.LOKET_TEST_BROWSER || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});

async function session(email, password, locale = 'en') {
  // axe-core is injected as a script, which Loket's own policy (rightly) refuses.
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  if (email) {
    await page.goto(`${BASE}/sign-in`);
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', password);
    await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
    if (new URL(page.url()).pathname.startsWith('/sign-in')) throw new Error(`${email} could not sign in`);
    // Signing in turns the panel to the user's own language (the demo's are Dutch and
    // Italian); these flows read it in the context's language, as a user who switched would.
    await context.addCookies([{ name: 'loket_lang', value: locale, url: BASE }]);
    await page.reload();
  }
  return { context, page };
}

async function text(page) {
  return page.locator('main').innerText();
}

// ---- Flows -------------------------------------------------------------------------------
{
  const { context, page } = await session('eigenaar@bakkerijdevries.test', CUSTOMER_PW);
  check((await text(page)).includes('Welcome, Els de Vries'), 'a customer signs in and lands on the overview');

  // The invoices: open one, print it (the panel around it disappears on paper).
  await page.click('nav a[href="/customers/1/billing"]');
  check(new URL(page.url()).pathname === '/customers/1/billing', 'the menu leads to the card\'s services');
  check((await page.getAttribute('nav a[href="/customers/1/billing"]', 'aria-current')) === 'page', 'the menu marks where the user is');
  await page.click('table.documents a >> nth=0');
  check(/\/customers\/1\/invoices\/\d+$/.test(new URL(page.url()).pathname), 'an invoice opens from the list');
  const invoice = page.url();
  await page.goto(`${BASE}/customers/1/invoices`);
  await page.fill('#s-min', '30');
  await Promise.all([page.waitForNavigation(), page.click('form.filters button[type=submit]')]);
  check((await page.locator('table.documents tbody tr').count()) === 2, 'invoices are searched by amount');
  await page.goto(invoice);
  await page.emulateMedia({ media: 'print' });
  const printed = await page.evaluate(() => ({
    header: getComputedStyle(document.querySelector('header.top')).display,
    lines: document.querySelectorAll('table.lines tr').length,
  }));
  check(printed.header === 'none' && printed.lines > 1, 'an invoice prints without the panel around it');
  await page.pdf({ path: `${SHOTS}/invoice-print.pdf`, format: 'A4' });
  await page.emulateMedia({ media: 'screen' });

  // A quote: read it, accept it with a comment; its service appears.
  await page.goto(`${BASE}/customers/1/quotes`);
  await page.click('table.quotes a >> nth=0');
  await page.fill('#comment', 'Graag.');
  await Promise.all([page.waitForNavigation(), page.click('button[value=accept]')]);
  check(/Accepted/.test(await text(page)) && (await page.locator('a', { hasText: 'See the service' }).count()) > 0, 'a customer accepts a quote and its service is ordered');

  // Order an extra hosting package (a business: it starts at once).
  await page.goto(`${BASE}/customers/1/order`);
  await page.fill('#label-hosting-basis', 'extra.bakkerijdevries.nl');
  await Promise.all([page.waitForNavigation(), page.click('#plan-hosting-basis ~ form button')]);
  await Promise.all([page.waitForNavigation(), page.click('main form[method=post] button[type=submit]')]);
  check(/extra\.bakkerijdevries\.nl starts on/.test(await text(page)), 'a business orders a service from the order form');

  // Cancel: the effect is shown before confirming, and confirmed after.
  await page.goto(`${BASE}/customers/1/billing`);
  await page.click('a[href^="#cancel-"] >> nth=0');
  const confirm = page.locator('section.confirm:target');
  check(await confirm.isVisible(), 'cancelling opens a confirmation');
  const effect = await confirm.innerText();
  check(/If you cancel today, the last day of the service is \d+ \w+ \d{4}/.test(effect), 'the confirmation says the last day');
  await Promise.all([page.waitForNavigation(), confirm.locator('button[type=submit]').click()]);
  check(/last day/i.test(await text(page)), 'the cancellation is confirmed with its last day');

  // A change of address that staff review.
  await page.goto(`${BASE}/customers/1/edit`);
  await page.fill('#f-street', 'Molenweg 9');
  await page.fill('#password', CUSTOMER_PW);
  await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
  check((await text(page)).includes('Molenweg 9'), 'a change of address waits for review on the card');

  // A domain's administrative contact at the registry: asked for here, carried out by staff.
  await page.goto(`${BASE}/customers/1/services/2`);
  check((await text(page)).includes('Contacts at the registry'), 'a domain shows its contacts at the registry');
  await page.click('#role-admin ~ details summary');
  await page.fill('#admin-email', 'webmaster@localhost');
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/contacts/admin"] button[type=submit]')]);
  check((await page.locator('#admin-e-email').innerText()).includes('not an e-mail address'), 'a wrong contact field is named beside it');
  await page.fill('#admin-email', 'webmaster@bakkerijdevries.test');
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/contacts/admin"] button[type=submit]')]);
  check((await text(page)).includes('Your request has been sent'), 'a customer asks for a change of a domain contact');

  // Language.
  await page.click('nav.lang a[hreflang=it]');
  check((await page.getAttribute('html', 'lang')) === 'it' && (await text(page)).length > 0, 'the language switch turns the page Italian');
  await context.close();
}
{
  // An invoice as PDF: the download button on its page, the file through the browser (saved, and
  // its page 1 as PNG when poppler is here), and nothing of another card's invoice.
  const other = await session('jan@jansen.test', CUSTOMER_PW);
  await other.page.goto(`${BASE}/customers/2/invoices`);
  const theirs = await other.page.locator('table.documents a').first().getAttribute('href');
  await other.context.close();

  const { context, page } = await session('eigenaar@bakkerijdevries.test', CUSTOMER_PW);
  await page.goto(`${BASE}/customers/1/invoices`);
  await Promise.all([page.waitForNavigation(), page.click('table.documents a >> nth=0')]);
  const mine = new URL(page.url()).pathname;
  const link = page.locator(`main a.button[download][href="${mine}/file/pdf"]`);
  check((await link.count()) === 1, 'an invoice offers its PDF as a download');
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const saved = `${SHOTS}/invoice-download.pdf`;
  await download.saveAs(saved);
  const pdf = readFileSync(saved);
  check(pdf.subarray(0, 5).toString('latin1') === '%PDF-' && download.suggestedFilename().endsWith('.pdf'),
    `a customer downloads the invoice as PDF (${download.suggestedFilename()}, ${pdf.length} bytes)`);
  try {
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', saved, `${SHOTS}/invoice-download`], { stdio: 'pipe' });
    ok('the downloaded PDF renders (pdftoppm, page 1 in invoice-download.png)');
  } catch (e) {
    if (e.code === 'ENOENT') console.log('skip the downloaded PDF is not rendered: no pdftoppm (poppler-utils)');
    else fail(`the downloaded PDF does not render: ${e.stderr}`);
  }
  check(/^\/customers\/2\/invoices\/\d+$/.test(theirs || ''), 'another card has an invoice to try');
  for (const path of [`${theirs}/file/pdf`, `/customers/1/invoices/${theirs.split('/').pop()}/file/pdf`]) {
    const status = (await page.request.get(BASE + path)).status();
    check(status === 404, `another card's invoice is not found: ${path} answers ${status}`);
  }
  await context.close();
}
{
  // A private customer orders, and chooses to start after the withdrawal period.
  const { context, page } = await session('jan@jansen.test', CUSTOMER_PW);
  await page.goto(`${BASE}/customers/2/order`);
  await page.fill('#label-hosting-start', 'blog.jansen.nl');
  await Promise.all([page.waitForNavigation(), page.click('#plan-hosting-start ~ form button')]);
  check(await page.locator('input[name=start][value=later]').isChecked(), 'a private customer is offered the withdrawal period first');
  await Promise.all([page.waitForNavigation(), page.click('main form[method=post] button[type=submit]')]);
  check(/blog\.jansen\.nl starts on/.test(await text(page)), 'a private customer orders a service');
  await context.close();
}
{
  // Lost access: a signed form and an identity document, uploaded without signing in.
  const { context, page } = await session(null, null);
  await page.goto(`${BASE}/lost-access`);
  await page.fill('#f-name', 'Els de Vries');
  await page.fill('#f-email', 'els@nieuwadres.test');
  await page.fill('#f-customer_number', 'C000001');
  await page.setInputFiles('#f-form', { name: 'verzoek.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% signed\n') });
  await page.setInputFiles('#f-identity', { name: 'paspoort.png', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]) });
  await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
  check((await text(page)).includes('We have received your request'), 'someone without access sends a signed form and an identity document');
  await context.close();
}
{
  const { context, page } = await session('admin@demo.loket.test', STAFF_PW);
  check(new URL(page.url()).pathname.startsWith('/staff'), 'staff land in the back office');
  await page.goto(`${BASE}/staff/access`);
  await Promise.all([page.waitForNavigation(), page.click('main table a >> nth=0')]);
  await Promise.all([page.waitForNavigation(), page.click('button[value=restore]')]);
  check((await text(page)).includes('invited to the card as its owner'), 'staff restore access from the signed form');
  await page.goto(`${BASE}/staff/domains`);
  const admin = page.locator('section.box', { hasText: 'webmaster@bakkerijdevries.test' });
  await Promise.all([page.waitForNavigation(), admin.locator('button[value=done]').click()]);
  const domain = await (await page.goto(`${BASE}/staff/customers/1/services/2`)).text();
  check(domain.includes('webmaster@bakkerijdevries.test'), 'staff carry out the domain contact change and record it');
  await page.goto(`${BASE}/staff/customers/2/billing`);
  await page.fill('#mi-description', 'Migratie van de oude website');
  await page.fill('#mi-quantity', '1.5');
  await page.fill('#mi-price', '85.00');
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/items"] button[type=submit]')]);
  check(/Invoice \S+ has been issued and sent/.test(await text(page)), 'staff invoice a one-off job by hand');
  await page.goto(`${BASE}/staff/customers/1/invoices`);
  const staffInvoice = await page.locator('table.documents a').first().getAttribute('href');
  const staffPdf = await page.request.get(`${BASE}${staffInvoice}/file/pdf`);
  check(staffPdf.status() === 200 && staffPdf.headers()['content-type'] === 'application/pdf' && (await staffPdf.body()).subarray(0, 5).toString('latin1') === '%PDF-',
    `staff download a customer's invoice as PDF (${staffInvoice}/file/pdf: ${staffPdf.status()})`);
  await page.goto(`${BASE}/staff/changes`);
  const request = page.locator('section.cr', { hasText: 'Molenweg 9' });
  await Promise.all([page.waitForNavigation(), request.locator('button[value=approve]').click()]);
  const card = await (await page.goto(`${BASE}/staff/customers/1`)).text();
  check(card.includes('Molenweg 9'), 'staff approve the change of address');

  // A new customer, its first subscription, and its cancellation by registered letter.
  await page.goto(`${BASE}/staff/customers/new`);
  await page.fill('#f-legal_name', 'Drukkerij Noord B.V.');
  await page.fill('#f-street', 'Havenweg 3');
  await page.fill('#f-postal_code', '9711 AB');
  await page.fill('#f-city', 'Groningen');
  await page.fill('#f-email', 'info@drukkerijnoord.test');
  await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
  const newCard = new URL(page.url()).pathname;
  check(/^\/staff\/customers\/\d+$/.test(newCard) && (await text(page)).includes('Drukkerij Noord B.V.'), 'staff create a customer');
  await page.goto(`${BASE}${newCard}/billing`);
  await page.selectOption('#ns-plan', 'hosting-basis');
  await page.fill('#ns-label', 'drukkerijnoord.nl');
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/subscriptions"] button[type=submit]')]);
  check((await text(page)).includes('drukkerijnoord.nl'), 'staff start a subscription for it');
  await page.click('a[href^="#record-cancel-"] >> nth=0');
  const letter = page.locator('section.confirm:target');
  await letter.locator('select[name=channel]').selectOption('registered_letter');
  await Promise.all([page.waitForNavigation(), letter.locator('button[type=submit]').click()]);
  check(/recorded/i.test(await text(page)), 'staff record its cancellation by registered letter');

  // A cancellation that came by registered letter.
  await page.goto(`${BASE}/staff/customers/3/billing`);
  await page.click('a[href^="#record-cancel-"] >> nth=0');
  const form = page.locator('section.confirm:target');
  await form.locator('select[name=channel]').selectOption('registered_letter').catch(() => form.locator('select[name=channel]').selectOption({ index: 0 }));
  await Promise.all([page.waitForNavigation(), form.locator('button[type=submit]').click()]);
  check(/recorded/i.test(await text(page)), 'staff record a cancellation received by letter');
  await context.close();
}

{
  // Pay now: the Italian customer pays his open invoice online through the demo's test payment
  // provider (Mollie's API, in Loket's own server) and sees it paid once the webhook came.
  const { context, page } = await session('mario@rossiweb.test', CUSTOMER_PW);
  await page.goto(`${BASE}/customers/3/invoices`);
  const links = await page.locator('table.documents a').evaluateAll((as) => as.map((a) => a.href));
  let payable = null;
  for (const link of links) {
    await page.goto(link);
    if (await page.locator('form[action$="/pay"]').count()) { payable = link; break; }
  }
  check(payable !== null, 'an open invoice offers Pay now');
  if (payable) {
    check(await page.locator('fieldset.methods label', { hasText: 'iDEAL | Wero' }).count() === 1, 'the methods come from the provider, iDEAL named as configured');
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 800 });
      await page.screenshot({ path: `${SHOTS}/italian-pay-now-${width}.png`, fullPage: true });
    }
    await page.addScriptTag({ content: AXE });
    const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    check(bad.length === 0, `the Pay now form: axe ${bad.map((v) => v.id).join('; ') || 'clean'}`);
    await page.locator('fieldset.methods label', { hasText: 'iDEAL | Wero' }).locator('input').check();
    await Promise.all([page.waitForNavigation(), page.click('form[action$="/pay"] button[type=submit]')]);
    check(new URL(page.url()).pathname.startsWith('/demo-psp/checkout/'), 'Pay now leads to the provider\'s checkout');
    await page.screenshot({ path: `${SHOTS}/italian-checkout-390.png`, fullPage: true });
    await Promise.all([page.waitForNavigation(), page.click('button[name=status][value=paid]')]);
    check(new URL(page.url()).pathname === new URL(payable).pathname, 'the checkout returns to the invoice');
    await page.waitForSelector('#pay-status[data-state=paid]', { timeout: 20000 }).catch(() => {});
    check(await page.locator('#pay-status[data-state=paid]').count() === 1, 'the invoice shows paid once the provider confirmed it');
    check(await page.locator('form[action$="/pay"]').count() === 0, 'a paid invoice offers nothing more to pay');
    await page.screenshot({ path: `${SHOTS}/italian-paid-390.png`, fullPage: true });
  }
  await context.close();
}

{
  // Direct debit: the Italian customer gives a SEPA mandate in the panel; without the consent
  // box ticked nothing is recorded and the box is named.
  const { context, page } = await session('mario@rossiweb.test', CUSTOMER_PW);
  await page.goto(`${BASE}/customers/3/direct-debit`);
  await page.fill('#dd-debtor_name', 'Rossi Web S.r.l.');
  await page.fill('#dd-iban', 'IT60 X054 2811 1010 0000 0123 456');
  await Promise.all([page.waitForNavigation(), page.click('main form.stack button[type=submit]')]);
  check(await page.locator('#dd-e-consent').count() === 1, 'a mandate without consent is refused, the box named');
  await page.fill('#dd-debtor_name', 'Rossi Web S.r.l.');
  await page.fill('#dd-iban', 'IT60 X054 2811 1010 0000 0123 456');
  await page.check('input[name=consent]');
  await Promise.all([page.waitForNavigation(), page.click('main form.stack button[type=submit]')]);
  check(await page.locator('form[action$="/revoke"]').count() === 1, 'a customer gives a direct-debit mandate in the panel');
  await page.screenshot({ path: `${SHOTS}/italian-mandate-390.png`, fullPage: true });
  await context.close();
}

async function axe(page, what) {
  await page.addScriptTag({ content: AXE });
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  check(bad.length === 0, `${what}: axe ${bad.map((v) => `${v.id} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 2).join(', ')})`).join('; ') || 'clean'}`);
}

{
  // The helpdesk: a customer opens a ticket with a screenshot, staff find it in the queue and
  // answer it, waiting for the customer; the customer reads the answer.
  const customer = await session('eigenaar@bakkerijdevries.test', CUSTOMER_PW);
  let page = customer.page;
  await page.goto(`${BASE}/customers/1/tickets`);
  check((await page.getAttribute('nav a[href="/customers/1/tickets"]', 'aria-current')) === 'page', 'the menu marks the support section');
  await Promise.all([page.waitForNavigation(), page.click('main a[href="/customers/1/tickets/new"]')]);
  await page.fill('#t-subject', 'Webmail geeft een witte pagina');
  await page.selectOption('#t-category', 'technical');
  await page.selectOption('#t-priority', 'high');
  await page.fill('#t-body', 'Sinds vanochtend toont webmail alleen een witte pagina.\nZie de schermafdruk.');
  await page.setInputFiles('#t-files', { name: 'webmail.png', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]) });
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${SHOTS}/flow-ticket-form-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
  const thread = new URL(page.url()).pathname;
  check(/^\/customers\/1\/tickets\/\d+$/.test(thread) && /Your ticket T-\d{4}-\d{5} has been sent/.test(await text(page)), 'a customer opens a ticket with an attachment');
  check((await page.locator('ul.files a', { hasText: 'webmail.png' }).count()) === 1, 'the attachment is listed with the message');
  const tid = thread.split('/').pop();

  const staff = await session('support@demo.loket.test', STAFF_PW);
  page = staff.page;
  await page.goto(`${BASE}/staff/tickets`);
  check((await page.getAttribute('nav a[href="/staff/tickets"]', 'aria-current')) === 'page', 'the staff menu marks the queue');
  await Promise.all([page.waitForNavigation(), page.click(`table.queue a[href="/staff/tickets/${tid}"]`)]);
  await page.check('input[name=kind][value=note]');
  await page.fill('#s-body', 'Interne notitie: PHP-sessie vol, opgeschoond.');
  await Promise.all([page.waitForNavigation(), page.click('#reply button[type=submit]')]);
  check((await text(page)).includes('The note has been added') && (await page.locator('li.entry.internal').count()) === 1, 'staff add an internal note, marked as such');
  await page.fill('#s-body', 'Beste Els, de webmail werkt weer. Wilt u het controleren?');
  await page.selectOption('#s-status', 'waiting');
  await Promise.all([page.waitForNavigation(), page.click('#reply button[type=submit]')]);
  check((await text(page)).includes('Your reply has been sent') && (await text(page)).includes('waiting on customer'), 'staff answer and wait for the customer');
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${SHOTS}/flow-staff-ticket-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });

  page = customer.page;
  await page.goto(`${BASE}${thread}`);
  const read = await text(page);
  check(read.includes('de webmail werkt weer') && read.includes('waiting for your answer') && !read.includes('PHP-sessie'), 'the customer reads the answer, never the note');
  await customer.context.close();

  // The standby planner: Friday 18:00 to Monday 08:30 priced part by part before agreeing.
  page = staff.page;
  await page.goto(`${BASE}/staff/standby`);
  await page.fill('#sb-customer', 'C000003');
  await page.fill('#sb-starts', '2026-12-04T18:00');
  await page.fill('#sb-ends', '2026-12-07T08:30');
  await Promise.all([page.waitForNavigation(), page.click('#plan button[value=preview]')]);
  check((await page.locator('table.standby-parts tbody tr').count()) === 5 && (await page.locator('#standby-total').innerText()) === '€5,035.00',
    'the standby preview prices a weekend in five parts: €5,035.00');
  check((await page.locator('button[value=agree]').count()) === 1, 'a previewed span can be agreed');
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${SHOTS}/flow-standby-preview-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 360, height: 900 });
  const [doc, view] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  check(doc <= view, `the standby preview: no sideways scrolling at 360 px (${doc} ≤ ${view})`);
  await axe(page, 'the standby preview');
  await staff.context.close();
}

// ---- Every page: axe, overflow at 360 px, screenshots ---------------------------------------
const visitors = [
  ['anonymous', null, null, ['/', '/sign-in', '/password/forgot', '/lost-access', '/no-such-page', '/status']],
  ['owner', 'eigenaar@bakkerijdevries.test', CUSTOMER_PW,
    ['/', '/customers/1', '/customers/1/edit', '/customers/1/users', '/customers/1/billing', '/customers/1/invoices', '/customers/1/quotes', '/customers/1/notifications', '/customers/1/order', '/customers/1/order/hosting-basis?label=x.nl', '/customers/1/order/mailbox?label=info@x.nl', 'invoice:/customers/1/billing',
      '/customers/1/services/1', '/customers/1/services/2', '/customers/1/direct-debit', '/account', '/account/2fa',
      '/customers/1/tickets', '/customers/1/tickets/new', 'ticket:/customers/1/tickets', '/customers/1/monitoring']],
  ['consumer', 'jan@jansen.test', CUSTOMER_PW, ['/', '/customers/2/billing', '/customers/2/edit', '/customers/2/order/hosting-start?label=x.nl', '/customers/2/direct-debit',
    '/customers/2/tickets', 'ticket:/customers/2/tickets']],
  ['italian', 'mario@rossiweb.test', CUSTOMER_PW, ['/', '/customers/3/billing', 'invoice:/customers/3/billing', '/customers/3/tickets', '/customers/3/tickets/new', '/customers/3/projects/1']],
  ['staff', 'admin@demo.loket.test', STAFF_PW,
    ['/staff', '/staff/customers/new', '/staff/customers', '/staff/customers?q=bak', '/staff/customers?q=vps', '/staff/customers/1/invoices', '/staff/customers/1/quotes', '/staff/customers/1', '/staff/customers/1/billing',       '/staff/customers/1/services/1', '/staff/changes', '/staff/domains', '/staff/access', '/staff/access/1', '/staff/catalog', '/staff/audit', '/staff/exports', '/staff/exports?from=2026-02-01&to=2026-01-01', '/staff/bank',
      '/staff/direct-debits', '/staff/customers/1/direct-debit', '/staff/customers/2/direct-debit', 'invoice:/staff/customers/1/billing',
      '/staff/tickets', '/staff/tickets?state=all&priority=high', '/staff/tickets/new', '/staff/tickets/1', '/staff/tickets/2', '/staff/standby',
      '/staff/monitors', '/staff/monitors?trouble=1', '/staff/monitors/new', '/staff/incidents', 'monitor:/staff/monitors']],
];
for (const [who, email, password, paths] of visitors) {
  const { context, page } = await session(email, password);
  for (let path of paths) {
    if (path.startsWith('invoice:')) {
      await page.goto(BASE + path.slice(8));
      path = new URL(await page.locator('table.documents a').first().evaluate((a) => a.href)).pathname;
    }
    if (path.startsWith('monitor:')) {
      // The first monitor of the list (the demo's monitors; none yet: nothing to visit).
      await page.goto(BASE + path.slice(8));
      const first = page.locator('table.monitors tbody th a').first();
      if ((await first.count()) === 0) { ok(`${who} ${path}: no monitor to open`); continue; }
      path = new URL(await first.evaluate((a) => a.href)).pathname;
    }
    if (path.startsWith('ticket:')) {
      await page.goto(BASE + path.slice(7));
      path = new URL(await page.locator('ul.tickets a').first().evaluate((a) => a.href)).pathname;
    }
    const name = `${who}${path.replace(/[^a-z0-9]+/gi, '-')}`.replace(/-$/, '');
    for (const width of [1280, 390, 360]) {
      await page.setViewportSize({ width, height: 800 });
      await page.goto(BASE + path);
      if (width !== 360) await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
      if (width === 360) {
        const [doc, view] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
        check(doc <= view, `${who} ${path}: no sideways scrolling at 360 px (${doc} ≤ ${view})`);
      }
      if (width !== 390) {
        await page.addScriptTag({ content: AXE });
        const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
        const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        check(bad.length === 0, `${who} ${path} @${width}: axe ${bad.map((v) => `${v.id} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 2).join(', ')})`).join('; ') || 'clean'}`);
      }
    }
  }
  await context.close();
}

await browser.close();
if (failures.length) {
  console.log(`\n${failures.length} failed:\n${failures.join('\n')}`);
  process.exit(1);
}
console.log(`\nall browser checks passed; screenshots in ${SHOTS}`);
