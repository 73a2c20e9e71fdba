// Shared by the browser tests and the benchmark: Debian's Chromium through playwright-core, headless,
// with a fresh profile and nothing downloaded.
import { chromium } from "playwright-core";
import fs from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

export const config = JSON.parse(process.env.PANEL_TEST || "{}");
const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** Playwright gives every launch a fresh temporary profile (the --user-data-dir). */
export async function launch() {
  const browser = await chromium.launch({
    executablePath: config.chromium,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return { browser, close: () => browser.close() };
}

let failedSteps = 0;

/** Runs one named step and prints ok or not ok with its time; a failure is counted, not thrown. */
export async function step(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    console.log(`ok - ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failedSteps++;
    console.log(`not ok - ${name}\n  ${String(e && e.stack ? e.stack : e).split("\n").slice(0, 4).join("\n  ")}`);
  }
}

/** How many steps have failed so far. */
export const failedStepCount = () => failedSteps;

export function expect(cond, msg) {
  if (!cond) throw new Error(msg);
}

/** CSP violations and page errors, collected per page; a test fails on any. */
export function watch(page) {
  const problems = [];
  page.on("console", (m) => {
    if (m.type() === "error" && /Content.Security.Policy|Refused to/i.test(m.text())) problems.push(`CSP: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  return problems;
}

/**
 * axe-core's WCAG 2.x A/AA rules on the whole page (the panel's shadow DOM included). Evaluated
 * through the DevTools protocol, which the page's CSP does not govern, so the page keeps its CSP.
 */
export async function axe(page) {
  await page.evaluate(AXE);
  const result = await page.evaluate(() =>
    window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    }),
  );
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join("; ")})`);
}

export async function control(what) {
  const r = await fetch(new URL(what, config.control), { method: "POST" });
  if (!r.ok) throw new Error(`control ${what}: ${r.status}`);
  return r.json();
}

/**
 * PANEL_LIVE_SRC=1 (or a path) serves the component from disk instead of the copy the running stage
 * loaded at start, so a change shows without restarting PanelStageMain. While a route is set,
 * Playwright answers CORS preflights itself: such a run does not check CORS, the Maven run does.
 */
export async function liveSource(context) {
  const live = process.env.PANEL_LIVE_SRC;
  if (!live) return;
  const file = live === "1" ? fileURLToPath(new URL("../src/xero-invoice-panel.js", import.meta.url)) : live;
  await context.route("**/panel/xero-invoice-panel.js", (route) =>
    route.fulfill({
      path: file,
      contentType: "text/javascript; charset=utf-8",
      headers: { "Access-Control-Allow-Origin": "*", "Cache-Control": "no-store" },
    }),
  );
}
