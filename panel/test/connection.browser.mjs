// The admin's whole journey with <xero-connection> on the demo CRM's Integrations page, in a real
// browser against the real local stack: Connect (the hosted flow and the simulator's consent),
// Pending with each phase's progress moving while open, Connected, Set up accounts (dry run, then saved by the write worker),
// Needs reconnecting, Disconnect with its confirmation; axe-core in every state, and the component
// at 320, 360, 480 and 800 px with nothing outside its box. Run by ConnectionBrowserEnd2EndTest.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launch, watch, axe, control, config } from "./browser.mjs";
import { step, expect, until, finish } from "./steps.mjs";

let page;
const shots = config.screenshots;
const el = () => page.locator("xero-connection");
const shadow = (sel) => el().locator(sel);

const status = async () => ((await shadow("#xc-status").count()) ? (await shadow("#xc-status").innerText()).trim() : "(none)");
const statusIs = (want) => until(async () => ((await status()) === want ? true : await status()), `status ${want}`, 15000);
/** A phase of the first sync as the component shows it: its label, progress value and words. */
const phaseShown = async (name) => ({
  label: await shadow(`#xc-l-${name}`).innerText(),
  value: await shadow(`#xc-p-${name}`).getAttribute("value"),
  words: await shadow(`#xc-s-${name}`).innerText(),
});

async function axeClean(state) {
  const v = await axe(page);
  expect(v.length === 0, `axe in ${state}:\n    ${v.join("\n    ")}`);
}

/** Every element of the shadow tree inside the component's box, and no sideways scroll. */
async function fits(width) {
  const out = await el().evaluate((host, w) => {
    host.style.width = `${w}px`;
    const box = host.getBoundingClientRect();
    const bad = [];
    for (const n of host.shadowRoot.querySelectorAll("*")) {
      const r = n.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5) bad.push(`${n.tagName.toLowerCase()}#${n.id} ${Math.round(r.left)}..${Math.round(r.right)}`);
    }
    const section = host.shadowRoot.querySelector("section");
    return { width: Math.round(box.width), bad, scroll: section.scrollWidth - section.clientWidth };
  }, width);
  expect(out.width === width, `the component is ${out.width} px wide, not ${width}`);
  expect(out.bad.length === 0, `at ${width} px these leave the box: ${out.bad.join(", ")}`);
  expect(out.scroll <= 0, `at ${width} px it scrolls sideways by ${out.scroll} px`);
}

async function widths(state) {
  for (const w of [320, 360, 480, 800]) {
    await fits(w);
    await el().screenshot({ path: path.join(shots, `connection-${state}-${w}.png`) });
  }
  await el().evaluate((host) => (host.style.width = ""));
}

const { browser, close } = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  page = await context.newPage();
  const problems = watch(page);
  const integrations = new URL("integrations", config.crm).href;

  await step("not connected: the page offers Connect to Xero", async () => {
    await page.goto(integrations);
    await statusIs("Not connected");
    expect(await shadow("#xc-connect").isVisible(), "no Connect button");
    await axeClean("not connected");
    await widths("not-connected");
  });

  await step("Connect: the hosted flow, the simulator's consent, then the organisation and who connected it", async () => {
    // By keyboard: the button is reachable and acts on Enter.
    await shadow("#xc-connect").focus();
    await Promise.all([page.waitForURL(/identity\/connect\/authorize/), page.keyboard.press("Enter")]);
    // The simulator's consent page; sim_user names the consenting user, as Xero's login would.
    await page.goto(page.url() + "&sim_user=" + encodeURIComponent("dana@northwind.test"));
    await page.locator(`input[name=tenant][value="${config.northwind}"]`).check();
    await Promise.all([page.waitForURL(/connect\/callback/), page.locator("button[name=allow]").click()]);
    const text = await page.locator("body").innerText();
    expect(text.includes("Northwind Traders Ltd"), `the connected page names no organisation: ${text.slice(0, 200)}`);
    expect(text.includes("dana@northwind.test"), `the connected page names no user: ${text.slice(0, 200)}`);
  });

  await step("Pending: each phase of the first sync with its percent and time left, moving while open, then Connected", async () => {
    await control(`await-connected?tenant=${config.northwind}`);
    await control(`status/SYNCING_RECENT?tenant=${config.northwind}`);
    await page.goto(integrations);
    await statusIs("Pending");
    // The last 12 months: 400 of 1,000 in ten minutes; history's 1,000 follow at the same pace.
    let recent = await phaseShown("RECENT");
    expect(recent.label === "Last 12 months" && recent.value === "40", `recent: ${JSON.stringify(recent)}`);
    // The estimate counts from the stage's "ten minutes ago", so a slow page load adds a little.
    const minutes = (words, re) => Number((words.match(re) || [])[1]);
    const recentLeft = minutes(recent.words, /^40%, about (\d+) minutes left\.$/);
    expect(recentLeft >= 15 && recentLeft <= 16, `recent: ${recent.words}`);
    let history = await phaseShown("HISTORY");
    expect(history.label === "Older history" && history.value === "0", `history: ${JSON.stringify(history)}`);
    const historyIn = minutes(history.words, /^Starts after the last 12 months; finished in about (\d+) minutes\.$/);
    expect(historyIn >= 40 && historyIn <= 42, `history: ${history.words}`);
    await axeClean("pending, last 12 months");
    await widths("pending");
    // The sync moves on; the open component shows it at its next look, without a reload.
    await control(`status/SYNCING?tenant=${config.northwind}`);
    await until(async () => (await phaseShown("RECENT")).words === "Done." || (await phaseShown("RECENT")).words, "the last 12 months done", 15000);
    history = await phaseShown("HISTORY");
    const historyLeft = minutes(history.words, /^35%, about (\d+) minutes left\.$/);
    expect(history.value === "35" && historyLeft >= 14 && historyLeft <= 15, `history: ${JSON.stringify(history)}`);
    expect((await shadow("#xc-p-RECENT").getAttribute("value")) === "100", "the last 12 months at 100");
    await axeClean("pending, history");
    await control(`status/CONNECTED?tenant=${config.northwind}`);
    await statusIs("Connected");
  });

  await step("Connected: the organisation's name and the email that connected it", async () => {
    expect((await shadow("#xc-org").innerText()) === "Northwind Traders Ltd", "organisation name");
    expect((await shadow("#xc-by").innerText()) === "dana@northwind.test", "connected by");
    await until(async () => (await shadow("#xc-pay").count()) > 0 || "no set-up form", "set-up form");
    await axeClean("connected");
    await widths("connected");
    await el().evaluate((host) => (host.style.width = "360px"));
    await el().screenshot({ path: path.join(shots, "connection-360.png") });
    if (process.env.PANEL_README_SCREENSHOTS) {
      fs.copyFileSync(path.join(shots, "connection-360.png"), fileURLToPath(new URL("../screenshot-connection-360.png", import.meta.url)));
    }
    await el().evaluate((host) => (host.style.width = ""));
  });

  await step("Set up accounts: Undeposited Funds suggested, each choice dry-run, then saved", async () => {
    const pay = await shadow("#xc-pay").inputValue();
    expect(pay === "615", `suggested payment account ${pay}, not Undeposited Funds (615)`);
    const options = await shadow("#xc-bank option").allInnerTexts();
    expect(options.some((o) => /\(090\)/.test(o)), `bank accounts offered: ${options.join(", ")}`);
    const dryRuns = [];
    page.on("request", (r) => {
      if (r.method() === "PUT" && r.url().includes("settings/accounting?validate=only")) dryRuns.push(r.url());
    });
    await shadow("#xc-bank").selectOption("090");
    await until(async () => dryRuns.length === 1 || `${dryRuns.length} dry runs`, "a dry run for the bank account");
    await shadow("#xc-auth").check();
    await until(async () => dryRuns.length === 2 || `${dryRuns.length} dry runs`, "a dry run for the invoice status");
    expect((await shadow("#xc-msg").count()) === 0, `the dry run refused: ${(await shadow("#xc-msg").count()) && (await shadow("#xc-msg").innerText())}`);
    await shadow("#xc-save").click();
    await until(async () => ((await shadow("#xc-msg").count()) ? (await shadow("#xc-msg").innerText()) === "Accounts saved." || (await shadow("#xc-msg").innerText()) : "no message"), "saved", 60000);
    expect(dryRuns.length === 3, `${dryRuns.length} dry runs: Save runs one before saving`);
    expect((await shadow("#xc-bank").inputValue()) === "090", "the saved bank account is shown");
    expect(await shadow("#xc-auth").isChecked(), "the saved invoice status is shown");
    await axeClean("accounts saved");
    await widths("saved");
  });

  await step("settings and panel tokens never stand in for each other", async () => {
    const minted = await page.evaluate(async () => (await (await fetch("/settings-token")).json()).token);
    const panelToken = await page.evaluate(async () => (await (await fetch("/panel-token?recordType=contact&recordId=crm-acme")).json()).token);
    const api = config.api.replace(/\/$/, "");
    const get = (url, token) => page.evaluate(async ([u, t]) => (await fetch(u, { headers: { Authorization: `Bearer ${t}` } })).status, [url, token]);
    const settingsOnPanel = await get(`${api}/tenants/${config.northwind}/panel-status`, minted);
    expect(settingsOnPanel === 401 || settingsOnPanel === 403, `a settings token on panel-status: ${settingsOnPanel}`);
    const panelOnSettings = await get(`${api}/tenants/${config.tenant}/settings/connection`, panelToken);
    expect(panelOnSettings === 401 || panelOnSettings === 403, `a panel token on settings/connection: ${panelOnSettings}`);
    const panelOnSetup = await get(`${api}/tenants/${config.tenant}/settings/accounting`, panelToken);
    expect(panelOnSetup === 401 || panelOnSetup === 403, `a panel token on settings/accounting: ${panelOnSetup}`);
    const own = await get(`${api}/tenants/${config.northwind}/settings/connection`, minted);
    expect(own === 200, `a settings token on its own settings/connection: ${own}`);
  });

  await step("Needs reconnecting: the reason and a Reconnect button", async () => {
    await control(`status/NEEDS_RECONNECT?tenant=${config.northwind}`);
    await page.reload();
    await statusIs("Needs reconnecting");
    expect(/revoked in Xero/.test(await shadow("#xc-reason").innerText()), "the reason");
    expect((await shadow("#xc-connect").innerText()) === "Reconnect to Xero", "Reconnect button");
    await axeClean("needs reconnect");
    await widths("needs-reconnect");
    await control(`status/CONNECTED?tenant=${config.northwind}`);
  });

  await step("Disconnect: asks first, Cancel keeps it, Yes disconnects", async () => {
    await page.reload();
    await statusIs("Connected");
    await shadow("#xc-disconnect").click();
    expect(/Disconnect Northwind Traders Ltd\?/.test(await shadow("#xc-confirm-q").innerText()), "the question");
    await axeClean("confirm disconnect");
    await widths("confirm");
    await shadow("#xc-no").click();
    await statusIs("Connected");
    await shadow("#xc-disconnect").click();
    await shadow("#xc-yes").click();
    await statusIs("Not connected");
    expect(await shadow("#xc-connect").isVisible(), "Connect is offered again");
    await axeClean("disconnected");
  });

  await step("no CSP violation or page error", async () => {
    expect(problems.length === 0, problems.join("\n"));
  });
} finally {
  await close();
}
finish("all passed", "failed");
