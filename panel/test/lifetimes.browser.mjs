// Issue 26's acceptance: README's embed snippet on another origin keeps updating across three panel
// token lifetimes. Run by PanelTokenLifetimesBrowserEnd2EndTest (./dev test), which starts the stack
// and the host page and passes PANEL_TEST. Time moves by the stack's one clock (POST /_sim/clock),
// not by waiting: a token lives 15 minutes.
import path from "node:path";
import { launch, config, step, expect, failedStepCount } from "./browser.mjs";

const TOKEN_PATH = "/xero-panel-token";

async function until(check, what, ms = 15000) {
  const deadline = Date.now() + ms;
  let seen;
  while (Date.now() < deadline) {
    seen = await check();
    if (seen === true) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what}: ${seen}`);
}
async function sim(method, route, body) {
  const r = await fetch(new URL(route, config.simulator), {
    method,
    headers: { Authorization: `Bearer ${config.simToken}`, "Content-Type": "application/json" },
    body: body && JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${method} ${route}: ${r.status} ${await r.text()}`);
  return r.json();
}
async function host(route) {
  const r = await fetch(new URL(route, config.page));
  if (!r.ok) throw new Error(`${route}: ${r.status}`);
  return r.json();
}

const { browser, close } = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 800, height: 700 }, locale: "en-NZ" });
  const page = await context.newPage();
  const panel = page.locator("xero-invoice-panel");
  const numbers = () => panel.locator("tbody tr[data-invoice] > td:nth-child(2) > :first-child").allInnerTexts();
  const shows = async (number) => (await numbers()).some((t) => t.includes(number)) || `rows ${JSON.stringify(await numbers())}`;

  // What the browser saw: console errors, failed requests, token-url calls, the API's 401s.
  const consoleErrors = [];
  const failed = [];
  const tokenCalls = [];
  const unauthorized = [];
  // A refused socket's URL carries its token: none reaches the test's output.
  const redact = (t) => t.replace(/xsp_[\w-]+/g, "xsp_…");
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(redact(m.text())));
  page.on("pageerror", (e) => consoleErrors.push(redact(`page error: ${e.message}`)));
  // A request blocked by CORS fails with net::ERR_FAILED and says so in the console. Chromium reports
  // the panel's revalidations answered 304 (cache: "no-store", its own If-None-Match) as
  // net::ERR_ABORTED: those are not failures.
  page.on("requestfailed", async (r) => {
    const status = (await r.response().catch(() => null))?.status();
    if (r.failure()?.errorText === "net::ERR_ABORTED" && status === 304) return;
    failed.push(redact(`${r.method()} ${r.url()}: ${r.failure()?.errorText} (${status ?? "no answer"})`));
  });
  page.on("request", (r) => new URL(r.url()).pathname === TOKEN_PATH && tokenCalls.push(r.url()));
  page.on("response", (r) => {
    if (r.url().startsWith(config.api) && r.status() === 401) {
      unauthorized.push({ url: r.url(), allowOrigin: r.headers()["access-control-allow-origin"] });
    }
  });

  await step("README's snippet on its own origin loads the panel through token-url", async () => {
    expect(new URL(config.page).origin !== new URL(config.api).origin, "the page and the API share an origin");
    await page.goto(config.page);
    await until(() => shows(config.first), "the first invoice");
    expect(tokenCalls.length === 1, `one token-url call to start: ${tokenCalls.length}`);
    await until(async () => (await host("/_test/sockets")).open === 1 || "no socket", "the change-notice socket opens");
    // Every error state the panel could show, remembered from here on (its shadow root is open).
    await page.evaluate(() => {
      const root = document.querySelector("xero-invoice-panel").shadowRoot;
      window.panelErrors = [];
      const look = () => root.querySelectorAll(".banner.error").forEach((e) => window.panelErrors.push(e.textContent.trim()));
      new MutationObserver(look).observe(root, { subtree: true, childList: true, characterData: true });
      look();
    });
  });

  // Lifetimes 1 and 3: the socket stays open, the change's notice comes over it, and the panel's fetch
  // with the expired token gets a 401 it can read (CORS), asks token-url again and retries.
  // Lifetime 2: the socket is closed (as API Gateway closes one at its 2-hour limit) after the token
  // expired, so the panel's reconnect is refused at $connect until it holds a fresh token.
  for (const lifetime of [1, 2, 3]) {
    const dropped = lifetime === 2;
    await step(`lifetime ${lifetime}: past the token's expiry, ${dropped ? "the socket reconnects with a fresh token and " : ""}a change in Xero shows`, async () => {
      const calls = tokenCalls.length;
      const refused = unauthorized.length;
      const moved = await sim("POST", "/_sim/clock", { advance: "PT16M" });
      console.log(`  the stack's clock: ${moved.now}`);
      if (dropped) {
        await host("/_test/drop-sockets");
        await until(async () => (await host("/_test/sockets")).open === 1 || "no socket", "the socket back, with a fresh token", 8000);
        expect(tokenCalls.length > calls, "the socket came back without a new token");
      }
      const number = `LIFE-${lifetime}`;
      const t0 = Date.now();
      await sim("POST", `/_sim/tenants/${config.tenant}/invoices`, { contactId: config.contact, total: `${100 + lifetime}.00`, number });
      // Well inside the 60 s fallback poll: the notice came over the socket.
      await until(() => shows(number), `${number} in the panel`);
      console.log(`  ${number} shown ${Date.now() - t0} ms after it was made in Xero`);
      expect(tokenCalls.length > calls, `token-url not asked again (${tokenCalls.length} calls)`);
      if (!dropped) {
        const seen = unauthorized.slice(refused);
        expect(seen.length > 0, "no 401 for the expired token: it was not refused");
        expect(seen.every((u) => u.allowOrigin === config.origin), `a 401 without CORS for ${config.origin}: ${JSON.stringify(seen)}`);
      }
    });
  }

  await step("token-url asked at least 3 more times; no CORS error, no failed request, no error state", async () => {
    expect(tokenCalls.length >= 4, `token-url calls: ${tokenCalls.length}`);
    expect((await host("/_test/sockets")).open === 1, "the socket is open at the end");
    // Expected in the console: the 401s themselves and the refused handshake of lifetime 2.
    const expected = /status of 401|WebSocket connection to .* failed/;
    const unexpected = consoleErrors.filter((t) => !expected.test(t));
    expect(!consoleErrors.some((t) => /CORS|Access-Control/i.test(t)), `CORS errors: ${consoleErrors.join("\n    ")}`);
    expect(unexpected.length === 0, `console errors:\n    ${unexpected.join("\n    ")}`);
    expect(failed.length === 0, `failed requests:\n    ${failed.join("\n    ")}`);
    const errors = await page.evaluate(() => window.panelErrors);
    expect(errors.length === 0, `the panel showed an error: ${JSON.stringify(errors)}`);
    await page.screenshot({ path: path.join(config.screenshots, "lifetimes-after-three.png") });
    console.log(`  token-url calls: ${tokenCalls.length}, 401s read: ${unauthorized.length}`);
  });
} finally {
  await close();
}
const failures = failedStepCount();
console.log(failures ? `${failures} step(s) failed` : "all steps passed");
process.exit(failures ? 1 : 0);
