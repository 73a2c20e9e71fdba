// Every function of <xero-invoice-panel> in a real browser against the real local stack.
// Run by PanelBrowserEnd2EndTest (./dev test), which starts the stack and passes PANEL_TEST.
import fs from "node:fs";
import path from "node:path";
import { launch, watch, axe, control, config, liveSource } from "./browser.mjs";
import { step, expect, until, finish } from "./steps.mjs";

const inv = config.invoices;
let page;
const panel = () => page.locator("xero-invoice-panel");
const rows = () => panel().locator("tbody tr[data-invoice]");

async function numbers() {
  return (await rows().locator(":scope > td:nth-child(2) > :first-child").allInnerTexts()).map((t) => t.replace(/\s*\(opens in Xero\)/, "").trim());
}
/** Waits until the listed invoice numbers are exactly `want` (order ignored). */
async function rowsAre(want, what) {
  const deadline = Date.now() + 8000;
  let got;
  while (Date.now() < deadline) {
    if (!(await panel().locator("[aria-busy=true]").count())) {
      got = await numbers();
      if (got.length === want.length && want.every((n) => got.includes(n))) return;
    }
    await page.waitForTimeout(50);
  }
  throw new Error(`${what}: rows ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
}
async function shot(name) {
  await page.screenshot({ path: path.join(config.screenshots, `${name}.png`) });
}
async function noAxeViolations(state) {
  const v = await axe(page);
  expect(v.length === 0, `axe in state ${state}:\n    ${v.join("\n    ")}`);
}
async function view(name) {
  await panel().getByRole("button", { name, exact: true }).click();
}

/** True once the API lists the invoice in crm-acme's Open view (asked with the panel's token). */
const stored = (number) =>
  page.evaluate(
    async ([number, api]) => {
      const el = document.querySelector("xero-invoice-panel");
      const url = `${api.replace(/\/?$/, "/")}tenants/${el.getAttribute("tenant")}/records/contact/crm-acme/invoices?view=open`;
      const r = await fetch(url, { headers: { Authorization: `Bearer ${el.token}` }, cache: "no-store" });
      return (await r.json()).invoices.some((i) => i.invoiceNumber === number) || "not stored yet";
    },
    [number, config.api],
  );
/** The panel's knobs for timed reads: the revalidation while the socket is up, the fallback poll. */
const knobs = (revalidate, poll) =>
  page.evaluate(
    ([revalidate, poll]) => {
      const C = customElements.get("xero-invoice-panel");
      C.REVALIDATE_MS = revalidate;
      document.querySelector("xero-invoice-panel").setAttribute("poll-interval", String(poll));
    },
    [revalidate, poll],
  );
/** The tab shown again: the panel re-reads everything (no change notice covers the connection's status). */
const nudge = () => page.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
const n = (k) => inv[k].number;
// Acme's credit note with credit left: listed with the invoices in Open, Unpaid and All.
const cn = config.creditNotes.open;
const OPEN = [n("open"), n("due-soon"), cn.number];
const OVERDUE = [n("overdue")];
const UNPAID = [n("open"), n("due-soon"), n("overdue"), cn.number];
const PAID = [n("paid")];
const ALL = [...UNPAID, ...PAID];

const { browser, close } = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1200, height: 760 }, locale: "en-NZ" });
  context.setDefaultTimeout(5000);
  await liveSource(context);
  page = await context.newPage();
  const problems = watch(page);
  const crmAcme = new URL("records/contact/crm-acme", config.crm).href;

  await step("loading: a skeleton while the first answer is on its way (axe clean)", async () => {
    let release;
    const held = new Promise((r) => (release = r));
    const firstList = (u) => u.pathname.endsWith("/records/contact/crm-acme/invoices") && u.searchParams.get("view") === "open";
    await page.route(firstList, async (route) => {
      await held;
      await route.continue().catch(() => {});
    });
    await page.goto(crmAcme);
    await panel().locator("[aria-busy=true] .sk").first().waitFor();
    await shot("state-loading");
    await noAxeViolations("loading");
    release();
    await rows().first().waitFor();
    await page.unroute(firstList);
  });

  await step("open by default, newest first, every column, across origins under the CRM's CSP", async () => {
    await rowsAre(OPEN, "default view");
    const got = await numbers();
    expect(got[0] === n("open"), `newest first: ${got}`);
    const first = rows().first();
    const cells = await first.locator("td").allInnerTexts();
    expect(/Invoice/.test(cells[5]), `type column: ${cells}`);
    expect(/500\.00/.test(cells[6]) && /1,200\.00/.test(cells[7]), `balance and total in currency: ${cells}`);
    expect(/Part paid/.test(cells[8]), `status text, not colour alone: ${cells}`);
    await shot("state-loaded");
    await noAxeViolations("loaded");
  });

  await step("saved views: Overdue, Unpaid, Paid, Pinned, and All, by their definitions", async () => {
    await view("Overdue");
    await rowsAre(OVERDUE, "Overdue: balance > 0 and past due");
    const status = await rows().first().locator("td").nth(8).innerText();
    expect(/Overdue \d+ d/.test(status), `overdue status says so in words: ${status}`);
    await view("Unpaid");
    await rowsAre(UNPAID, "Unpaid: balance > 0");
    await view("Paid");
    await rowsAre(PAID, "Paid: balance 0 and status paid");
    await view("Pinned");
    await rowsAre([], "Pinned, nothing pinned yet");
    await panel().getByText("Nothing pinned yet").waitFor();
    await shot("state-empty");
    await noAxeViolations("empty");
    await view("All");
    await rowsAre(ALL, "All: no drafts or voided unless asked");
    await view("Open");
    await rowsAre(OPEN, "Open: balance > 0 and not yet due");
  });

  await step("drafts and voided appear only when asked for", async () => {
    await panel().getByLabel("Drafts and voided").check();
    await rowsAre([...ALL, n("draft"), n("voided")], "All with drafts and voided");
    const texts = (await rows().locator(":scope > td:nth-child(9)").allInnerTexts()).join("|");
    expect(/Draft/.test(texts) && /Voided/.test(texts), `draft and voided statuses: ${texts}`);
    await panel().getByLabel("Drafts and voided").uncheck();
    await rowsAre(ALL, "drafts hidden again");
    await view("Open");
    await rowsAre(OPEN, "back to Open");
  });

  await step("totals boxes show paid and unpaid per currency and open their lists", async () => {
    const paidBox = panel().getByRole("button", { name: /Total paid/ });
    const unpaidBox = panel().getByRole("button", { name: /Total unpaid/ });
    expect(/300\.00/.test(await paidBox.innerText()), `paid total: ${await paidBox.innerText()}`);
    // 500 + 640.50 + 25.25 still due (50.00 of due-soon's 75.25 paid by the credit note)
    expect(/1,165\.75/.test(await unpaidBox.innerText()), `unpaid total: ${await unpaidBox.innerText()}`);
    await paidBox.click();
    await rowsAre(PAID, "Total paid opens the paid list");
    expect((await paidBox.getAttribute("aria-pressed")) === "true", "paid box pressed");
    await unpaidBox.click();
    await rowsAre(UNPAID, "Total unpaid opens the unpaid list");
    await view("Open");
  });

  await step("search by invoice number, across views", async () => {
    const box = panel().getByRole("searchbox", { name: "Search by invoice number" });
    await box.fill(n("paid"));
    await rowsAre(PAID, "exact number");
    await box.fill("NO-SUCH-NUMBER");
    await rowsAre([], "no match");
    await panel().getByText("No invoice number starts with").waitFor();
    await box.fill("");
    await rowsAre(OPEN, "search cleared");
  });

  await step("#6 date filter: typing reloads nothing, Apply filters to the range, Clear clears", async () => {
    await view("All");
    await rowsAre(ALL, "All");
    const asked = [];
    const onRequest = (r) => /\/invoices\?/.test(r.url()) && /[?&](from|to)=/.test(r.url()) && asked.push(r.url());
    page.on("request", onRequest);
    await panel().getByLabel("From").fill(inv.overdue.date);
    await panel().getByLabel("To").fill(inv.overdue.date);
    await page.waitForTimeout(800);
    expect(asked.length === 0, `no request before Apply: ${asked}`);
    await rowsAre(ALL, "still All before Apply");
    await panel().getByRole("button", { name: "Apply", exact: true }).click();
    await rowsAre(OVERDUE, "one day's invoices");
    expect(asked.length >= 1, "Apply asks the API");
    const dateCell = await rows().first().locator("td").nth(2).innerText();
    const [y, m, d] = inv.overdue.date.split("-").map(Number);
    const want = new Intl.DateTimeFormat("en-NZ", { dateStyle: "medium", timeZone: "UTC" }).format(Date.UTC(y, m - 1, d));
    expect(dateCell === want, `date shown without timezone drift: ${dateCell} vs ${want}`);
    await noAxeViolations("date filter applied");
    await panel().getByRole("button", { name: "Clear", exact: true }).click();
    await rowsAre(ALL, "filter cleared");
    expect((await panel().getByLabel("From").inputValue()) === "", "Clear empties the dates");
    page.off("request", onRequest);
    await view("Open");
    await rowsAre(OPEN, "Open");
  });

  await step("#11 columns: due date, reference and type", async () => {
    const heads = await panel().locator("thead th").allInnerTexts();
    for (const h of ["Due", "Reference", "Type"]) expect(heads.includes(h), `column ${h}: ${heads}`);
    const cells = await panel().locator(`tr[data-invoice="${inv.open.id}"] td`).allInnerTexts();
    const [y, m, d] = inv.open.due.split("-").map(Number);
    const due = new Intl.DateTimeFormat("en-NZ", { dateStyle: "medium", timeZone: "UTC" }).format(Date.UTC(y, m - 1, d));
    expect(cells[3] === due && cells[4] === "PO 4410" && cells[5] === "Invoice", `due, reference, type: ${cells}`);
    await view("Open");
    await rowsAre(OPEN, "Open");
  });

  await step("#11 credit notes: in the contact's list with their credit left and allocations, and in the balance story (axe clean)", async () => {
    await rowsAre(OPEN, "Open lists the credit note with credit left");
    const cells = await panel().locator(`tr[data-invoice="${cn.id}"] td`).allInnerTexts();
    expect(cells[5] === "Credit note" && cells[4] === "Returned pallets" && cells[3] === "", `type, reference, no due date: ${cells}`);
    expect(/-\$?100\.00/.test(cells[6]) && /-\$?150\.00/.test(cells[7]), `credit left and total, negative: ${cells}`);
    expect(/Credit available/.test(cells[8]), `status: ${cells}`);
    const href = await panel().locator(`tr[data-invoice="${cn.id}"] td:nth-child(2) a`).getAttribute("href");
    expect(href && href.includes(`ViewCreditNote.aspx?creditNoteID=${cn.id}`), `opens the credit note in Xero: ${href}`);
    expect(!(await panel().getByRole("button", { name: `Pin ${cn.number}` }).count()), "no pin: pins hold invoices");
    await panel().getByRole("button", { name: "Allocations (1)" }).hover();
    const tip = panel().getByRole("tooltip");
    await tip.getByText("Allocated to 1 invoice").waitFor();
    const body = await tip.locator("tbody tr").allInnerTexts();
    expect(body.length === 1 && body[0].includes(n("due-soon")) && /50\.00/.test(body[0]), `allocation: ${body}`);
    expect(/Credit left: \$?100\.00/.test(await tip.innerText()), `credit left: ${await tip.innerText()}`);
    await noAxeViolations("credit note allocations");
    await page.mouse.move(5, 5);
    await tip.waitFor({ state: "detached" });
    const story = await panel().locator("[data-story]").innerText();
    expect(/Owed \$?1,165\.75, credit \$?100\.00 available: \$?1,065\.75 outstanding/.test(story), `balance story: ${story}`);
    await view("Paid");
    await rowsAre(PAID, "a credit note with credit left is not in Paid");
    await view("Unpaid");
    await rowsAre(UNPAID, "Unpaid lists it");
    await shot("state-credit-note");
    await view("Open");
    await rowsAre(OPEN, "Open");
  });

  await step("#13 sorting by date, due date, balance and total, said in the caption", async () => {
    await view("All");
    await rowsAre(ALL, "All");
    const sort = panel().getByLabel("Sort");
    const col = async (i) => rows().locator(`:scope > td:nth-child(${i})`).allInnerTexts();
    const money = (t) => Number(t.replace(/[^0-9.-]/g, ""));
    const desc = (xs) => xs.every((x, i) => i === 0 || xs[i - 1] >= x);
    await sort.selectOption("balance");
    await until(async () => {
      const bal = (await col(7)).map(money);
      return desc(bal) || `${bal}`;
    }, "balance, largest first");
    expect(/sorted by balance/.test(await panel().locator("caption").innerText()), "caption names the order");
    await sort.selectOption("total");
    await until(async () => {
      const tot = (await col(8)).map(money);
      return desc(tot) || `${tot}`;
    }, "total, largest first");
    await sort.selectOption("due");
    await until(async () => {
      const ids = await rows().evaluateAll((trs) => trs.map((t) => t.dataset.invoice));
      const dues = ids.map((id) => Object.values(inv).find((x) => x.id === id)?.due ?? "");
      return dues.every((x, i) => i === 0 || dues[i - 1] <= x) || `${dues}`;
    }, "due date, soonest first");
    await sort.selectOption("date");
    await until(async () => (await numbers())[0] === n("open") || `${await numbers()}`, "date, newest first");
    await view("Open");
    await rowsAre(OPEN, "Open");
  });

  await step("#7 status counts the instalments paid; the popover numbers them with Xero's payment reference", async () => {
    const status = await panel().locator(`tr[data-invoice="${inv.open.id}"] td:nth-child(9)`).innerText();
    expect(/Part paid: 2 instalments/.test(status), `status: ${status}`);
    await panel().getByRole("button", { name: "Payments (2)" }).hover();
    const tip = panel().getByRole("tooltip");
    await tip.getByText("2 instalments paid").waitFor();
    const head = await tip.locator("th").allInnerTexts();
    const body = await tip.locator("tbody tr").allInnerTexts();
    expect(head.includes("Payment no.") && /^1\b.*DD-5521/s.test(body[0]) && /^2\b.*DD-5522/s.test(body[1]), `numbers and references: ${head} ${body}`);
    await page.mouse.move(5, 5);
    await tip.waitFor({ state: "detached" });
  });

  await step("#10 borders of inputs, chips and boxes reach 3:1; counts have units; errors say what to do", async () => {
    const ratios = await page.evaluate(() => {
      const root = document.querySelector("xero-invoice-panel").shadowRoot;
      const lum = (c) => {
        const [r, g, b] = c.match(/\d+(\.\d+)?/g).slice(0, 3).map((v) => Number(v) / 255);
        const f = (v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
      };
      const bg = lum(getComputedStyle(document.querySelector("xero-invoice-panel")).backgroundColor);
      return [...root.querySelectorAll("input[type=search],input[type=date],select,.tools button,.views button[aria-pressed=false],.totals button[aria-pressed=false]")].map((el) => {
        const l = lum(getComputedStyle(el).borderTopColor);
        return [el.dataset.key || el.dataset.view || el.type || el.tagName, (Math.max(l, bg) + 0.05) / (Math.min(l, bg) + 0.05)];
      });
    });
    const low = ratios.filter(([, r]) => r < 3);
    expect(ratios.length >= 8 && low.length === 0, `borders under 3:1: ${JSON.stringify(low)}`);
    const paidBox = await panel().getByRole("button", { name: /Total paid/ }).textContent();
    expect(/\(1 invoice\)/.test(paidBox), `count with its unit: ${paidBox}`);
    const list = (u) => u.pathname.endsWith("/records/contact/crm-acme/invoices");
    for (const [how, want, raw] of [
      [(r) => r.abort("failed"), /Check your internet connection/, /Failed to fetch/],
      [(r) => r.fulfill({ status: 403, contentType: "application/problem+json", body: '{"title":"Forbidden","status":403}' }), /Ask your admin/, /\(403\)/],
    ]) {
      await page.route(list, how);
      await nudge();
      const alert = panel().getByRole("alert");
      await alert.getByText(want).waitFor({ timeout: 8000 });
      const text = await alert.innerText();
      expect(!raw.test(text), `no raw error: ${text}`);
      await noAxeViolations(`error ${want}`);
      await page.unroute(list);
      await alert.waitFor({ state: "detached", timeout: 8000 });
    }
  });

  await step("invoice numbers open the invoice in Xero", async () => {
    const a = panel().locator(`tr[data-invoice="${inv.open.id}"] td:nth-child(2) a`);
    const href = await a.getAttribute("href");
    expect(href && href.toLowerCase().includes(inv.open.id.toLowerCase()) && href.startsWith("https://go.xero.com/"), `deep link for ${inv.open.id}: ${href}`);
    expect((await a.getAttribute("target")) === "_blank", "opens in a new tab");
    expect(/noopener/.test(await a.getAttribute("rel")), "rel noopener");
  });

  await step("#12 Open contact in Xero: the linked contact's deep link, from the organisation's ShortCode", async () => {
    const a = panel().getByRole("link", { name: "Open contact in Xero" });
    const href = await a.getAttribute("href");
    expect(
      href && href.startsWith("https://go.xero.com/organisationlogin/default.aspx?shortcode=") &&
        href.toLowerCase().endsWith(`&redirecturl=/contacts/view/${config.contacts.acme.toLowerCase()}`),
      `contact deep link: ${href}`,
    );
    expect((await a.getAttribute("target")) === "_blank" && /noopener/.test(await a.getAttribute("rel")), "new tab, noopener");
  });

  await step("#12 the online invoice opens Xero's link, fetched from Xero once per invoice, never per view", async () => {
    await view("Open");
    await rowsAre(OPEN, "Open");
    const docs = [];
    const seen = (r) => r.url().includes("/documents") && docs.push(r.url());
    page.on("request", seen);
    const before = await control("online-invoice-calls");
    // The tab goes to Xero's host, out of reach here: answer it with a stand-in page.
    await page.context().route("https://in.xero.com/**", (r) =>
      r.fulfill({ contentType: "text/html", body: "<!doctype html><title>Online invoice</title>" }),
    );
    const online = panel().getByRole("button", { name: `Online invoice ${n("open")} (opens a new tab)` });
    const [tab] = await Promise.all([page.context().waitForEvent("page"), online.click()]);
    await tab.waitForLoadState();
    expect(tab.url().startsWith("https://in.xero.com/"), `online invoice tab: ${tab.url()}`);
    await tab.close();
    const [again] = await Promise.all([page.context().waitForEvent("page"), online.click()]);
    await again.waitForLoadState();
    expect(again.url() === tab.url(), `the same link the second time: ${again.url()}`);
    await again.close();
    await page.context().unroute("https://in.xero.com/**");
    const after = await control("online-invoice-calls");
    expect(after.calls - before.calls === 1, `OnlineInvoice calls to Xero for two clicks: ${after.calls - before.calls}`);
    // Rendering and polling never ask for documents: only the two clicks did.
    await page.waitForTimeout(2500);
    page.off("request", seen);
    expect(docs.length === 2, `documents requests: ${docs.length}`);
    await noAxeViolations("documents links");
  });

  await step("#12 PDF: a short-lived signed link served by our API, fetched from Xero, opens as a PDF", async () => {
    const pdfResponse = page.waitForResponse((r) => r.url().includes(`/invoices/${inv.open.id}/pdf?`));
    const [tab] = await Promise.all([
      page.context().waitForEvent("page"),
      panel().getByRole("button", { name: `PDF of ${n("open")} (opens a new tab)` }).click(),
    ]);
    const r = await pdfResponse;
    expect(r.status() === 200 && r.headers()["content-type"] === "application/pdf", `pdf answer ${r.status()} ${r.headers()["content-type"]}`);
    // The same link again, within its 5 minutes (the panel's own fetch gave its body to the tab).
    const again = await page.request.get(r.url(), { headers: { Accept: "application/pdf" } });
    const body = await again.body();
    expect(body.subarray(0, 5).toString("latin1") === "%PDF-", `a PDF: ${body.subarray(0, 40).toString("latin1")}`);
    expect(body.toString("latin1").includes(n("open")), "the invoice's own PDF");
    expect(tab.url().startsWith("blob:"), `opened in a tab: ${tab.url()}`);
    await tab.close();
    const u = new URL(r.url());
    const tampered = new URL(u);
    tampered.searchParams.set("expires", String(Number(u.searchParams.get("expires")) + 3600));
    const forged = await page.request.get(tampered.href, { headers: { Accept: "application/pdf" } });
    expect(forged.status() === 403, `a link with its expiry moved: ${forged.status()}`);
    const bare = new URL(u);
    bare.search = "";
    expect((await page.request.get(bare.href)).status() === 403, "no signature: 403");
  });

  await step("pin and unpin: toggle buttons with aria-pressed, at least 24x24, kept by the API", async () => {
    const pin = panel().getByRole("button", { name: `Pin ${n("overdue")}` });
    await view("Unpaid");
    await rowsAre(UNPAID, "Unpaid");
    expect((await pin.getAttribute("aria-pressed")) === "false", "not pinned at first");
    const box = await pin.boundingBox();
    expect(box.width >= 24 && box.height >= 24, `target size ${box.width}x${box.height}`);
    await pin.click();
    await page.waitForFunction(
      (num) =>
        document.querySelector("xero-invoice-panel").shadowRoot.querySelector(`[aria-label="Pin ${num}"]`)?.getAttribute("aria-pressed") === "true",
      n("overdue"),
    );
    await page.reload();
    await view("Pinned");
    await rowsAre(OVERDUE, "pinned survives a reload");
    await panel().getByRole("button", { name: `Pin ${n("overdue")}` }).click();
    await rowsAre([], "unpinned");
    await view("Open");
    await rowsAre(OPEN, "Open");
  });

  await step("instalments popover opens on hover and on focus, and Escape dismisses it", async () => {
    const button = panel().getByRole("button", { name: "Payments (2)" });
    await button.hover();
    const tip = panel().getByRole("tooltip");
    await tip.getByText("2 instalments paid").waitFor();
    const cells = await tip.locator("tbody tr").allInnerTexts();
    expect(cells.length === 2 && /^1\b/.test(cells[0]) && /400\.00/.test(cells[0]) && /300\.00/.test(cells[1]), `instalments: ${cells}`);
    await shot("popover-hover");
    await noAxeViolations("popover");
    await page.mouse.move(5, 5);
    await tip.waitFor({ state: "detached" });
    await button.focus();
    await tip.getByText("2 instalments paid").waitFor();
    await page.keyboard.press("Escape");
    await tip.waitFor({ state: "detached" });
    expect(await button.evaluate((b) => b.getRootNode().activeElement === b), "focus stays on the button");
  });

  await step("keyboard only: Tab to a view, Enter; Tab to a pin, Space; Tab to payments opens it", async () => {
    await page.reload();
    await rowsAre(OPEN, "fresh page");
    await page.locator("body").focus();
    const focused = () =>
      page.evaluate(() => {
        let a = document.activeElement;
        while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
        return a ? (a.getAttribute("aria-label") || a.textContent || "").trim() : "";
      });
    const tabTo = async (re) => {
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press("Tab");
        if (re.test(await focused())) return;
      }
      throw new Error(`Tab never reached ${re}`);
    };
    await tabTo(/^Overdue$/);
    await page.keyboard.press("Enter");
    await rowsAre(OVERDUE, "Overdue by keyboard");
    await tabTo(/^Pin /);
    await page.keyboard.press("Space");
    await page.waitForFunction(() =>
      document.querySelector("xero-invoice-panel").shadowRoot.querySelector("[data-pin]")?.getAttribute("aria-pressed") === "true",
    );
    expect(/^Pin /.test(await focused()), "focus stays on the pin after the live re-render");
    await page.keyboard.press("Space");
    await page.waitForFunction(() =>
      document.querySelector("xero-invoice-panel").shadowRoot.querySelector("[data-pin]")?.getAttribute("aria-pressed") === "false",
    );
    await page.keyboard.press("Shift+Tab");
    await tabTo(/^Open$/);
    await page.keyboard.press("Enter");
    await rowsAre(OPEN, "Open by keyboard");
    await tabTo(/^Payments/);
    await panel().getByRole("tooltip").getByText("instalments paid").waitFor();
    await page.keyboard.press("Escape");
  });

  await step("live: a new invoice and a payment in the simulator show without a reload, pushed, fetched with If-None-Match", async () => {
    let notModified = 0;
    let conditional = 0;
    // allHeaders: headers() may leave out what the network stack reports late on a loaded machine.
    page.on("response", async (r) => {
      if (r.status() === 304) notModified++;
      if ((await r.request().allHeaders())["if-none-match"]) conditional++;
    });
    const t0 = Date.now();
    const created = await control("new-invoice");
    await rowsAre([...OPEN, created.number], "new invoice appears");
    console.log(`  new invoice visible after ${Date.now() - t0} ms`);
    expect(conditional > 0 && notModified > 0, `fetches revalidate: ${conditional} conditional, ${notModified} 304`);
    await control(`pay?invoice=${created.id}`);
    await rowsAre(OPEN, "paid invoice leaves the Open view");
    await view("Paid");
    await rowsAre([...PAID, created.number], "and shows in Paid");
    await view("Open");
  });

  await step("#14 push: idle costs no request; with the socket killed the fallback poll updates the panel, and the socket comes back", async () => {
    await until(async () => (await control("socket/count")).open >= 1 || "no socket", "the panel's socket is open");
    let requests = 0;
    const counted = (r) => r.url().startsWith(config.api) && requests++;
    page.on("request", counted);
    await page.waitForTimeout(2000);
    expect(requests === 0, `idle with the socket up: ${requests} requests in 2 s`);
    page.off("request", counted);
    let t0 = Date.now();
    const pushed = await control("new-invoice");
    await rowsAre([...OPEN, pushed.number], "pushed");
    console.log(`  pushed change visible after ${Date.now() - t0} ms`);
    await control("socket/down");
    t0 = Date.now();
    const polled = await control("new-invoice");
    await rowsAre([...OPEN, pushed.number, polled.number], "the fallback poll (poll-interval 500 ms here) while the socket is down");
    console.log(`  with the socket down, visible after ${Date.now() - t0} ms`);
    await control("socket/up");
    await until(async () => (await control("socket/count")).open >= 1 || "no socket", "the socket reconnects");
    await control(`pay?invoice=${pushed.id}`);
    await control(`pay?invoice=${polled.id}`);
    await rowsAre(OPEN, "pushed again after the reconnect");
  });

  await step("#26 a change committed before the socket is stored shows once it opens; a lost notice shows at the next revalidation", async () => {
    try {
      // A fresh page whose socket's $connect is held: the panel has read, the socket is not stored.
      await control("socket/hold");
      await page.goto(crmAcme);
      await rowsAre(OPEN, "first read");
      const base = await numbers();
      // Only the socket can bring news from here: no fallback poll, no timed re-read.
      await knobs(600000, 600000);
      await page.waitForTimeout(700); // a poll already due (500 ms) runs and waits 10 minutes next
      const early = await control("new-invoice");
      // The sync stores it while no socket is stored: no notice is due to anyone.
      await until(() => stored(early.number), "the sync stored the change");
      expect(!(await numbers()).includes(early.number), "shown before the socket opened: the test proves nothing");
      await control("socket/release");
      await rowsAre([...base, early.number], "shown once the socket opened (no notice was due)");

      // A notice lost on the way (a frame dropped): the next revalidation shows the change.
      await control("socket/lose-notices");
      await knobs(1000, 600000);
      await control("socket/down");
      await control("socket/up");
      await until(async () => (await control("socket/count")).open >= 1 || "no socket", "the socket reconnects");
      await page.waitForTimeout(600);
      const t0 = Date.now();
      await control(`pay?invoice=${early.id}`);
      await rowsAre(base, "the revalidation while the socket is up (its notice was lost)");
      console.log(`  a lost notice's change visible after ${Date.now() - t0} ms (revalidating every 1 s here)`);
    } finally {
      await control("socket/release");
      await control("socket/keep-notices");
      await knobs(900000, 500).catch(() => {});
    }
  });

  await step("#26 a refresh that a newer one supersedes does not hide the change it fetched", async () => {
    // Refresh A reads the new list and totals (200s) and waits on the pinned list; refresh B (as a
    // notice starts it) then hears 304 for all A fetched. A is dropped; B must still show the change.
    const pinned = (u) => u.pathname.endsWith("/records/contact/crm-acme/invoices") && u.searchParams.get("view") === "pinned";
    const fresh = (path) => page.waitForResponse((r) => r.url().includes(path) && r.status() === 200);
    let release;
    const held = new Promise((r) => (release = r));
    try {
      await rowsAre(OPEN, "before");
      const base = await numbers();
      await control("socket/lose-notices");
      await knobs(600000, 600000);
      const late = await control("new-invoice");
      await until(() => stored(late.number), "the sync stored the change");
      const read = Promise.all([fresh("/records/contact/crm-acme/invoices?view=open"), fresh("/records/contact/crm-acme/totals")]);
      await page.route(pinned, async (route) => {
        await held;
        await route.continue().catch(() => {});
      });
      await nudge(); // refresh A
      await read;
      await nudge(); // refresh B, while A waits on the pinned list
      await page.waitForTimeout(300);
      release();
      await rowsAre([...base, late.number], "shown by the refresh that superseded the one that fetched it");
      await control("socket/keep-notices");
      await control(`pay?invoice=${late.id}`);
      await rowsAre(base, "after");
    } finally {
      release();
      await page.unroute(pinned).catch(() => {});
      await control("socket/keep-notices");
      await knobs(900000, 500).catch(() => {});
    }
  });

  await step("#5 the open popover changes with its row when a payment arrives", async () => {
    await rowsAre(OPEN, "Open");
    const button = panel().locator(`[data-pay="${inv.open.id}"]`);
    // Focus moves on first: an earlier Escape keeps this popover shut while its button keeps focus.
    await panel().getByRole("searchbox").focus();
    await button.focus();
    await panel().getByRole("tooltip").getByText("2 instalments paid").waitFor();
    await page.evaluate((id) => {
      const root = document.querySelector("xero-invoice-panel").shadowRoot;
      window.__apart = [];
      const check = () => {
        const row = root.querySelector(`[data-pay="${id}"]`)?.textContent || "";
        const tip = root.querySelector("[role=tooltip] strong")?.textContent || "";
        if (/\(3\)/.test(row) && tip && !/^3 /.test(tip)) window.__apart.push(`${row} / ${tip}`);
      };
      new MutationObserver(check).observe(root, { subtree: true, childList: true, characterData: true });
    }, inv.open.id);
    await control(`pay?invoice=${inv.open.id}&amount=50.00&reference=DD-5523`);
    await panel().getByRole("button", { name: "Payments (3)" }).waitFor({ timeout: 8000 });
    const tip = panel().getByRole("tooltip");
    await tip.getByText("3 instalments paid").waitFor();
    expect(/DD-5523/.test(await tip.innerText()), "the new payment in the popover");
    expect(/Still due: .*450\.00/.test(await tip.innerText()), `still due: ${await tip.innerText()}`);
    const apart = await page.evaluate(() => window.__apart);
    expect(apart.length === 0, `row and popover disagreed: ${apart}`);
    await page.keyboard.press("Escape");
  });

  await step("SYNCING shows percent done (axe clean)", async () => {
    await control("status/SYNCING");
    await nudge(); // a status change is no record change: re-read when the tab is shown
    await panel().getByText("Syncing from Xero: 42%").waitFor();
    const bar = panel().getByRole("progressbar");
    expect((await bar.getAttribute("value")) === "42", "progress value");
    await shot("state-syncing");
    await noAxeViolations("syncing");
  });

  await step("RATE_LIMITED says invoices may be behind and catch up by themselves (axe clean)", async () => {
    await control("status/RATE_LIMITED");
    await nudge(); // a status change is no record change: re-read when the tab is shown
    await panel().getByText(/limit for this organisation is used up/).waitFor();
    await shot("state-rate-limited");
    await noAxeViolations("rate limited");
  });

  await step("NEEDS_RECONNECT shows Reconnect Xero with the connect link (axe clean)", async () => {
    await control("status/NEEDS_RECONNECT");
    await nudge(); // a status change is no record change: re-read when the tab is shown
    const link = panel().getByRole("link", { name: "Reconnect Xero" });
    await link.waitFor();
    expect((await link.getAttribute("href")).startsWith(config.api), "the host's reconnect link");
    expect(/revoked in Xero/.test(await panel().getByRole("alert").innerText()), "the reason");
    await shot("state-needs-reconnect");
    await noAxeViolations("needs reconnect");
    await control("status/CONNECTED");
    await nudge(); // a status change is no record change: re-read when the tab is shown
    await panel().getByRole("alert").waitFor({ state: "detached" });
  });

  await step("a deal record shows its linked contact's invoices", async () => {
    await page.goto(new URL("records/deal/deal-globex", config.crm).href);
    await rowsAre([n("globex")], "deal via record links");
  });

  await step("#8 a record without links says so and offers the host's link action (axe clean)", async () => {
    await page.goto(new URL("records/deal/deal-empty", config.crm).href);
    await panel().getByText("isn't linked to a Xero contact").waitFor();
    await page.evaluate(() => document.addEventListener("xero-link-requested", (e) => (window.__link = e.detail)));
    await panel().getByRole("button", { name: "Link to a Xero contact" }).click();
    const detail = await page.evaluate(() => window.__link);
    expect(detail && detail.recordType === "deal" && detail.recordId === "deal-empty", `event detail: ${JSON.stringify(detail)}`);
    await shot("state-unlinked");
    await noAxeViolations("unlinked record");
  });

  const crmMany = new URL("records/contact/crm-many", config.crm).href;
  await step("#4 search with a space finds ORC 1001; every value leaves percent-encoded", async () => {
    await page.goto(crmMany);
    await rows().first().waitFor();
    const box = panel().getByRole("searchbox", { name: "Search by invoice number" });
    await box.fill("ORC 1001");
    await rowsAre(["ORC 1001"], "number with a space");
    const sent = page.waitForRequest((r) => /[?&]number=/.test(r.url()) && r.url().includes("%C3%A9"));
    await box.fill("A+B %#&é");
    const url = (await sent).url();
    expect(url.includes("number=A%2BB%20%25%23%26%C3%A9&"), `encodeURIComponent, not '+': ${url}`);
    await box.fill("");
    await panel().getByRole("alert").waitFor({ state: "detached", timeout: 8000 }).catch(() => {});
  });

  await step("#3 past 100 rows: Show more follows the cursor and says how many there are (axe clean)", async () => {
    await view("Unpaid");
    await page.waitForFunction(
      () => document.querySelector("xero-invoice-panel").shadowRoot.querySelectorAll("tbody tr[data-invoice]").length === 100,
    );
    const caption = () => panel().locator("caption").innerText();
    expect(new RegExp(`100 of ${config.many}`).test(await caption()), `caption: ${await caption()}`);
    const more = panel().getByRole("button", { name: "Show more" });
    expect(new RegExp(`100 of ${config.many} shown`).test(await panel().locator(".more").innerText()), "count beside Show more");
    await noAxeViolations("show more");
    await more.click();
    await page.waitForFunction(
      (n) => document.querySelector("xero-invoice-panel").shadowRoot.querySelectorAll("tbody tr[data-invoice]").length === n,
      config.many,
    );
    await more.waitFor({ state: "detached" });
    const focused = await page.evaluate(() => document.querySelector("xero-invoice-panel").shadowRoot.activeElement?.getAttribute("aria-label"));
    expect(/^Pin /.test(focused || ""), `focus moves to the first new row, not lost: ${focused}`);
    const ids = await rows().evaluateAll((trs) => trs.map((t) => t.dataset.invoice));
    expect(new Set(ids).size === config.many, `no row twice: ${new Set(ids).size}`);
    await view("Open");
    await panel().getByRole("button", { name: "Show more" }).waitFor();
    expect(/first 100, sorted by date, newest first among those loaded/.test(await caption()), `sorted among loaded: ${await caption()}`);
  });

  await step("#2 sidebar widths 280 to 800 px: nothing clipped, no sideways scroll (boxes asserted, screenshots kept)", async () => {
    const url = `${config.api}/panel?tenant=${config.tenant}&recordType=contact&recordId=crm-acme#token=${config.pageToken}`;
    const sidebar = await context.newPage();
    const old = page;
    page = sidebar;
    try {
      for (const width of [280, 320, 360, 480, 800]) {
        await sidebar.mouse.move(1, 1);
        await sidebar.setViewportSize({ width, height: 750 });
        await sidebar.goto(url);
        await rowsAre(OPEN, `at ${width} px`);
        if (width === 320) {
          await panel().locator(`[data-pay="${inv.open.id}"]`).hover();
          await panel().getByRole("tooltip").getByText("instalments paid").waitFor();
          // Nothing clips the popover: the point at the foot of its box hits it.
          const hit = await sidebar.evaluate(() => {
            const root = document.querySelector("xero-invoice-panel").shadowRoot;
            const r = root.querySelector("[role=tooltip]").getBoundingClientRect();
            return !!root.elementFromPoint(r.left + r.width / 2, r.bottom - 4)?.closest("[role=tooltip]");
          });
          expect(hit, "the popover shows whole at 320 px");
        }
        const bad = await sidebar.evaluate(() => {
          const host = document.querySelector("xero-invoice-panel");
          const box = host.getBoundingClientRect();
          const out = [];
          if (document.documentElement.scrollWidth > innerWidth) out.push(`page scrolls sideways: ${document.documentElement.scrollWidth}`);
          for (const el of host.shadowRoot.querySelectorAll("*")) {
            if (el.closest(".vh") || el.closest("thead") || el.matches("style,caption")) continue;
            const r = el.getBoundingClientRect();
            if (!r.width) continue;
            const name = `${el.tagName.toLowerCase()}.${el.className || ""}[${(el.textContent || "").trim().slice(0, 20)}]`;
            if (r.left < box.left - 0.5 || r.right > box.right + 0.5) out.push(`${name} ${r.left}-${r.right} outside 0-${box.right}`);
            if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== "visible") out.push(`${name} scrolls sideways`);
          }
          return out;
        });
        await shot(`sidebar-${width}`);
        expect(bad.length === 0, `at ${width} px:\n    ${bad.slice(0, 8).join("\n    ")}`);
        await noAxeViolations(`${width} px`);
      }
    } finally {
      page = old;
      await sidebar.close();
    }
  });

  await step("standalone /panel page under a strict CSP fits 100 to 750 px tall", async () => {
    const url = `${config.api}/panel?tenant=${config.tenant}&recordType=contact&recordId=crm-acme#token=${config.pageToken}`;
    const framePage = await context.newPage();
    const frameProblems = watch(framePage);
    const response = await framePage.goto(url);
    const csp = response.headers()["content-security-policy"];
    expect(/script-src 'self'/.test(csp) && !/unsafe/.test(csp), `strict CSP: ${csp}`);
    expect(!framePage.url().includes("token="), "the token leaves the address bar");
    const old = page;
    page = framePage;
    await framePage.setViewportSize({ width: 360, height: 750 });
    await rowsAre(OPEN, "standalone page");
    await shot("standalone-360x750");
    await noAxeViolations("standalone");
    await framePage.setViewportSize({ width: 360, height: 100 });
    await framePage.waitForTimeout(100);
    const h = await framePage.evaluate(() => document.querySelector("xero-invoice-panel").getBoundingClientRect().height);
    expect(h <= 100, `panel fits 100 px: ${h}`);
    await shot("standalone-360x100");
    page = old;
    expect(frameProblems.length === 0, frameProblems.join("\n"));
    await framePage.close();
  });

  await step("an error with its action: an expired or foreign token says so and offers to retry (axe clean)", async () => {
    const url = `${config.api}/panel?tenant=${config.tenant}&recordType=contact&recordId=crm-acme#token=xsp_not-a-real-token`;
    await page.close();
    page = await context.newPage();
    problems.push(...[]);
    watch(page);
    await page.goto(url);
    await panel().getByRole("alert").getByText("session for this panel has ended").waitFor();
    await panel().getByRole("button", { name: "Try again" }).waitFor();
    await shot("state-error-token");
    await noAxeViolations("error");
  });

  await step("no CSP violation and no page error anywhere", async () => {
    expect(problems.length === 0, problems.join("\n"));
  });
} finally {
  await close();
}
finish("all browser steps passed", "browser step(s) failed");
