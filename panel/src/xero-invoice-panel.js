// <xero-invoice-panel>: a CRM record's Xero invoices, live. Plain custom element, no dependencies:
// this file is what the API serves (GET /panel/xero-invoice-panel.js). See README, "Invoice panel".
const CSS = `
:host{--xip-font:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;--xip-fg:#1f2328;--xip-muted:#57606a;
--xip-bg:#fff;--xip-border:#d0d7de;--xip-control-border:#818b98;--xip-accent:#0b57d0;--xip-paid:#116329;--xip-overdue:#a40e26;--xip-open:#0b57d0;
--xip-radius:6px;display:flex;flex-direction:column;box-sizing:border-box;min-height:100px;height:100%;min-width:0;
font:13px/1.4 var(--xip-font);color:var(--xip-fg);background:var(--xip-bg)}
*{box-sizing:border-box}
header{display:flex;flex-wrap:wrap;gap:4px 8px;align-items:baseline;justify-content:space-between;padding:6px 8px 0}
.xl{display:flex;flex-wrap:wrap;gap:4px 8px;min-width:0}
.c-num>a{display:inline-flex;align-items:center;min-height:24px}
.docs{display:flex;flex-wrap:wrap;gap:2px 6px}
.docs button{font:inherit;font-size:12px;background:none;border:0;color:var(--xip-accent);text-decoration:underline;cursor:pointer;min-height:24px;min-width:24px;padding:0}
.docs button[aria-busy=true]{cursor:progress}
h2{font-size:14px;margin:0}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.banner{margin:6px 8px 0;padding:6px 8px;border:1px solid var(--xip-control-border);border-radius:var(--xip-radius);display:flex;gap:8px;align-items:center;flex-wrap:wrap}
.banner.error{border-color:var(--xip-overdue)}
.banner progress{flex:1;min-width:60px}
.totals{display:flex;flex-wrap:wrap;gap:6px;padding:6px 8px 0}
.story{flex:1 1 100%;margin:0;font-size:12px}
.totals button{flex:1;min-width:0;text-align:left;background:var(--xip-bg);color:var(--xip-fg);border:1px solid var(--xip-control-border);border-radius:var(--xip-radius);padding:4px 8px;font:inherit;cursor:pointer;min-height:24px}
.totals button[aria-pressed=true]{border-color:var(--xip-accent);box-shadow:inset 0 0 0 1px var(--xip-accent)}
.totals b{display:block;font-size:11px;color:var(--xip-muted);font-weight:600}
.tools{display:flex;flex-wrap:wrap;gap:6px;padding:6px 8px 0;align-items:center}
.tools input[type=search]{flex:1 1 120px;min-width:0}
.tools input,.tools label,.tools select,.tools button{font:inherit}
.tools label{display:inline-flex;align-items:center;gap:4px}
.tools input[type=checkbox]{min-height:0;margin:0;width:16px;height:16px}
.tools input,.tools select,.tools button,.more button{min-height:26px;border:1px solid var(--xip-control-border);border-radius:var(--xip-radius);padding:2px 6px;color:var(--xip-fg);background:var(--xip-bg)}
.tools button,.more button{cursor:pointer;padding:2px 10px}
.sort{display:inline-flex;gap:4px;align-items:center}
.dates{display:flex;flex-wrap:wrap;gap:6px;align-items:center}
.views{display:flex;flex-wrap:wrap;gap:4px;padding:6px 8px 0}
.views button,.banner button,.banner a{font:inherit;min-height:24px;min-width:24px;padding:2px 8px;border:1px solid var(--xip-control-border);border-radius:999px;background:var(--xip-bg);color:var(--xip-fg);cursor:pointer;text-decoration:none}
.views button[aria-pressed=true]{background:var(--xip-accent);border-color:var(--xip-accent);color:#fff}
.scroll{flex:1;min-height:40px;overflow:auto;margin-top:6px;border-top:1px solid var(--xip-border);container-type:inline-size}
table{border-collapse:collapse;width:100%}
caption{text-align:left;padding:4px 8px;color:var(--xip-muted);font-size:12px}
th,td{padding:3px 4px;border-bottom:1px solid var(--xip-border);text-align:left;white-space:nowrap;vertical-align:middle}
td.c-ref,td.c-status{white-space:normal;min-width:7em}
td.c-pay{white-space:normal}
th{position:sticky;top:0;background:var(--xip-bg);font-size:11px;color:var(--xip-muted);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
a{color:var(--xip-accent)}
.pin{width:28px;height:28px;padding:0;border:1px solid transparent;border-radius:var(--xip-radius);background:none;color:var(--xip-muted);font-size:16px;line-height:1;cursor:pointer}
.pin[aria-pressed=true]{color:#7a4d00;border-color:var(--xip-control-border)}
.status{display:inline-flex;gap:3px;align-items:baseline;font-weight:600}
.status.PAID{color:var(--xip-paid)}.status.OVERDUE{color:var(--xip-overdue)}.status.OPEN{color:var(--xip-open)}
.status.DRAFT,.status.VOIDED,.status.SUBMITTED,.status.DELETED{color:var(--xip-muted)}
.pay{position:relative}
.pay button{font:inherit;background:none;border:0;color:var(--xip-accent);text-decoration:underline;cursor:pointer;min-height:24px;padding:0 2px}
.pop{position:absolute;right:0;top:100%;max-width:min(90vw,320px);z-index:2;min-width:220px;background:var(--xip-bg);border:1px solid var(--xip-control-border);border-radius:var(--xip-radius);box-shadow:0 4px 12px rgba(0,0,0,.15);padding:6px 8px;white-space:normal}
.pop table th,.pop table td{border:0;padding:2px 4px;position:static;white-space:nowrap}
.empty{padding:16px 8px;color:var(--xip-muted);text-align:center;white-space:normal}
.empty button{margin-top:8px}
.more{display:flex;flex-wrap:wrap;gap:8px;align-items:center;padding:8px;color:var(--xip-muted)}
.sk{display:block;height:12px;border-radius:4px;background:linear-gradient(90deg,#eaeef2,#f6f8fa,#eaeef2);background-size:200% 100%;animation:sk 1.2s infinite}
@keyframes sk{to{background-position:-200% 0}}
@media (prefers-reduced-motion:reduce){.sk{animation:none}}
@container (max-width:699px){
.scroll>table,.scroll>table>tbody{display:block}
.scroll>table>thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.scroll>table>caption{display:block}
.scroll>table>tbody>tr{display:grid;grid-template-columns:30px repeat(3,minmax(0,1fr));column-gap:8px;padding:4px 8px 4px 4px;border-bottom:1px solid var(--xip-border);content-visibility:auto;contain-intrinsic-size:auto 96px}
.scroll>table>tbody>tr:has(.pop){content-visibility:visible}
.scroll>table>tbody>tr>td{border:0;padding:1px 0;white-space:normal;overflow-wrap:break-word;min-width:0;text-align:left}
.scroll>table>tbody>tr>td.empty{grid-column:1/-1;text-align:center}
.scroll>table>tbody>tr>td[data-l]::before{content:attr(data-l);display:block;font-size:11px;color:var(--xip-muted);font-weight:600}
.scroll>table>tbody>tr>td[data-l]:empty::before{content:none}
td.c-pin{grid-area:1/1/5/2}td.c-num{grid-area:1/2}td.c-status{grid-area:1/3/2/5}
td.c-date{grid-area:2/2}td.c-due{grid-area:2/3}td.c-type{grid-area:2/4}
td.c-bal{grid-area:3/2}td.c-tot{grid-area:3/3}td.c-pay{grid-area:3/4}td.c-ref{grid-area:4/2/5/5}
}
`;
const PAGE_CSS = "html,body{margin:0;height:100%}xero-invoice-panel{height:100%}";

const VIEWS = [
  ["open", "Open"],
  ["overdue", "Overdue"],
  ["unpaid", "Unpaid"],
  ["paid", "Paid"],
  ["pinned", "Pinned"],
  ["all", "All"],
];
// A row is an invoice or, where the API lists them (creditNotes=include), a credit note: its
// credit left counts against the balance, so it shows and sorts as a negative amount.
const isCredit = (i) => i.kind === "CREDIT_NOTE";
const rowId = (i) => (isCredit(i) ? i.creditNoteId : i.invoiceId);
const rowNumber = (i) => (isCredit(i) ? i.creditNoteNumber : i.invoiceNumber);
const balance = (i) => (isCredit(i) ? -Number(i.remainingCredit) : Number(i.amountDue));
const signedTotal = (i) => (isCredit(i) ? -Number(i.total) : Number(i.total));
// The API has no sort parameter: the panel sorts the rows it has loaded (and says so when more exist).
const SORTS = [
  ["date", "Date, newest first", (a, b) => cmp(b.date, a.date)],
  ["due", "Due date, soonest first", (a, b) => cmp(a.dueDate, b.dueDate)],
  ["balance", "Balance, largest first", (a, b) => balance(b) - balance(a)],
  ["total", "Total, largest first", (a, b) => signedTotal(b) - signedTotal(a)],
];
const PAGE = 100;
const ALL_STATUSES = "DRAFT,SUBMITTED,AUTHORISED,PAID,VOIDED";
const STATUS_TEXT = {
  OPEN: ["○", "Open"],
  OVERDUE: ["!", "Overdue"],
  PAID: ["✓", "Paid"],
  DRAFT: ["✎", "Draft"],
  SUBMITTED: ["…", "Awaiting approval"],
  VOIDED: ["⊘", "Voided"],
  DELETED: ["⊘", "Deleted"],
};
const CREDIT_STATUS = { OPEN: ["◐", "Credit available"], PAID: ["✓", "Fully used"] };
const TYPES = { ACCREC: "Invoice", ACCPAY: "Bill", ACCRECCREDIT: "Credit note", ACCPAYCREDIT: "Bill credit note" };
// What a failed request means to the person looking at the panel, and what they can do about it.
const TROUBLE = {
  0: "The panel can't reach the invoice service. Check your internet connection; the panel tries again by itself.",
  403: "This page isn't allowed to show these invoices. Ask your admin to allow this site for the Xero panel, then reload the page.",
  404: "These invoices weren't found. Reload the page; if it keeps happening, ask your admin to check the record's Xero link.",
  429: "The invoice service is busy. The panel tries again by itself in a few seconds.",
  500: "The invoice service had a problem. The panel tries again by itself; if this lasts, tell your admin.",
};

let sheet;
function adopt(root, css) {
  const s = new CSSStyleSheet();
  s.replaceSync(css);
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, s];
}
const esc = (v) =>
  String(v ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
const cmp = (a, b) => (a || "").localeCompare(b || "");
const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
// encodeURIComponent, never URLSearchParams: API Gateway reads '+' as a plus, not as a space.
const query = (o) =>
  Object.entries(o)
    .filter(([, v]) => v != null && v !== "")
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join("&");

export class XeroInvoicePanel extends HTMLElement {
  static observedAttributes = ["tenant", "record-type", "record-id", "token", "view"];
  /**
   * While the socket is up and the tab shown, the panel revalidates this often, so a notice lost on
   * the way costs at most this (4 conditional GETs, 304s when nothing changed).
   */
  static REVALIDATE_MS = 900000;

  #root;
  #view = "open";
  #number = "";
  #from = "";
  #to = "";
  #drafts = false;
  #sort = "date";
  #pages = 1; // pages of the list asked for with Show more
  #token = null;
  #cache = new Map(); // url -> {etag, body, shown}
  #data = null; // {invoices, more, totals, pinned:Set, status, linked}
  #error = null;
  #timer = 0;
  #seq = 0;
  #details = new Map(); // invoiceId -> detail body, as of its updatedUtc
  #openPop = null;
  #before = null; // ids shown when Show more was pressed: focus goes to the first new row
  #dismissed = null; // the popover Escape closed stays closed until focus or pointer moves on
  #restoring = false;
  #docNote = ""; // why the last online invoice or PDF asked for could not open
  #started = false;
  #ws = null; // the change-notice socket (panel-status names its URL)
  #wsUrl = "";
  #wsWait = 1000; // the next reconnect's backoff, doubling up to the poll interval
  #wsTimer = 0;
  #wsRenewed = false; // a token was fetched for the socket since it last opened
  #notice = 0;
  #recheckTimer = 0;
  #pinWrites = Promise.resolve();

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: "open" });
    sheet ??= (() => {
      const s = new CSSStyleSheet();
      s.replaceSync(CSS);
      return s;
    })();
    this.#root.adoptedStyleSheets = [sheet];
  }

  /** The panel token; set it again when the backend mints a fresh one. */
  set token(v) {
    this.#token = v || null;
    if (this.#started) this.refresh();
  }
  get token() {
    return this.#token;
  }

  get #api() {
    const a = this.getAttribute("api");
    return a ? (a.endsWith("/") ? a : a + "/") : new URL("../", import.meta.url).href;
  }
  get #tenantBase() {
    return `${this.#api}tenants/${encodeURIComponent(this.getAttribute("tenant"))}`;
  }
  get #locale() {
    return this.getAttribute("locale") || navigator.language || "en";
  }
  /** The fallback poll while the socket is down (or a request failed). */
  get #pollMs() {
    return Number(this.getAttribute("poll-interval")) || 60000;
  }
  get #record() {
    return { recordType: this.getAttribute("record-type") || "contact", recordId: this.getAttribute("record-id") };
  }
  get #recordBase() {
    const r = this.#record;
    return `${this.#tenantBase}/records/${encodeURIComponent(r.recordType)}/${encodeURIComponent(r.recordId)}`;
  }

  connectedCallback() {
    if (this.hasAttribute("standalone")) adopt(document, PAGE_CSS);
    if (this.getAttribute("token-from") === "fragment") {
      const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
      if (m) {
        this.#token = decodeURIComponent(m[1]);
        history.replaceState(null, "", location.pathname + location.search);
      }
    }
    if (!this.#token && this.hasAttribute("token")) this.#token = this.getAttribute("token");
    this.#view = this.getAttribute("view") || "open";
    this.#shell();
    this.#started = true;
    this.refresh();
    this._vis = () => document.visibilityState === "visible" && this.refresh();
    document.addEventListener("visibilitychange", this._vis);
  }

  disconnectedCallback() {
    clearTimeout(this.#timer);
    this.#started = false;
    this.#closeSocket();
    document.removeEventListener("visibilitychange", this._vis);
  }

  attributeChangedCallback(name, old, value) {
    if (!this.#started || old === value) return;
    if (name === "token") this.#token = value;
    if (name === "view") this.#view = value || "open";
    if (name !== "token") this.#reset();
    if (name !== "token" && name !== "view") this.#closeSocket();
    this.#render();
    this.refresh();
  }

  // ---- data

  #listUrl(cursor) {
    const view = this.#number && this.#view !== "pinned" ? "all" : this.#view;
    return `${this.#recordBase}/invoices?${query({
      view,
      status: view === "all" && this.#drafts ? ALL_STATUSES : null,
      type: view === "pinned" || view === "all" ? "ANY" : null,
      creditNotes: view === "pinned" ? null : "include",
      number: this.#number,
      from: this.#from,
      to: this.#to,
      limit: PAGE,
      cursor,
    })}`;
  }

  async #get(url) {
    const c = this.#cache.get(url);
    const headers = { Authorization: `Bearer ${this.#token}` };
    if (c) headers["If-None-Match"] = c.etag;
    const r = await fetch(url, { headers, cache: "no-store", credentials: "omit" });
    // A 304 is a change still when the body cached was never shown: a refresh that a notice
    // superseded fetched it, then was dropped (the superseding one then hears 304).
    if (r.status === 304 && c) return { body: c.body, changed: !c.shown };
    if (!r.ok) throw await this.#problem(r);
    const body = await r.json();
    const etag = r.headers.get("ETag");
    if (etag) this.#cache.set(url, { etag, body, shown: false });
    return { body, changed: true };
  }

  async #problem(r) {
    let detail = "";
    try {
      detail = (await r.json()).detail || "";
    } catch {}
    return { status: r.status, detail };
  }

  async #newToken() {
    const url = this.getAttribute("token-url");
    this.dispatchEvent(new CustomEvent("token-expired", { bubbles: true, composed: true }));
    if (!url) return false;
    try {
      const r = await fetch(url, { credentials: "same-origin", cache: "no-store" });
      if (!r.ok) return false;
      this.#token = (await r.json()).token;
      return !!this.#token;
    } catch {
      return false;
    }
  }

  /** The list's pages as far as Show more asked, following the API's cursor. */
  async #list() {
    let page = await this.#get(this.#listUrl());
    const first = page.body;
    const invoices = [...page.body.invoices];
    let changed = page.changed;
    for (let n = 1; n < this.#pages && page.body.nextCursor; n++) {
      page = await this.#get(this.#listUrl(page.body.nextCursor));
      invoices.push(...page.body.invoices);
      changed ||= page.changed;
    }
    // linkedContacts 0: the record is not linked to any Xero contact (absent on the pinned view).
    return {
      invoices,
      more: !!page.body.nextCursor,
      changed,
      linked: first.linkedContacts !== 0,
      contacts: first.contacts || [],
    };
  }

  /** Loads (or revalidates) everything the panel shows; re-renders only when something changed. */
  async refresh() {
    clearTimeout(this.#timer);
    this.#timer = 0;
    const seq = ++this.#seq;
    if (!this.#token && !(await this.#newToken())) {
      this.#error = { status: 401, detail: "" };
      this.#render();
      return;
    }
    try {
      const t0 = performance.now();
      const [list, totals, pinned, status] = await Promise.all([
        this.#list(),
        this.#get(`${this.#recordBase}/totals?type=ACCREC`),
        this.#get(`${this.#recordBase}/invoices?view=pinned&type=ANY&limit=${PAGE}`),
        this.#get(`${this.#tenantBase}/panel-status`).catch(() => ({ body: null, changed: false })),
      ]);
      // The open popover's invoice changed: fetch its payments now, so row and popover change together.
      const pop = this.#openPop && list.invoices.find((i) => i.invoiceId === this.#openPop);
      const popChanged = pop && (await this.#detail(pop)).changed;
      if (seq !== this.#seq) return;
      const changed =
        !this.#data || this.#error || list.changed || totals.changed || pinned.changed || status.changed || popChanged;
      this.#error = null;
      for (const c of this.#cache.values()) c.shown = true;
      this.#socket(status.body?.socketUrl);
      this.#data = {
        invoices: list.invoices,
        more: list.more,
        totals: totals.body.totals,
        pinned: new Set(pinned.body.invoices.map((i) => i.invoiceId)),
        status: status.body,
        linked: list.linked,
        contacts: list.contacts,
      };
      if (changed) {
        performance.mark("xip-data");
        this.#render();
        requestAnimationFrame(() =>
          setTimeout(() => {
            const ms = performance.now() - t0;
            performance.measure("xip-render", "xip-data");
            this.dispatchEvent(
              new CustomEvent("rendered", { detail: { rows: this.#data?.invoices.length ?? 0, sinceRequestMs: ms } }),
            );
          }),
        );
      }
    } catch (e) {
      if (seq !== this.#seq) return;
      if (e && e.status === 401 && (await this.#newToken())) return this.refresh();
      this.#error = e && e.status ? e : { status: 0, detail: "" };
      this.#render();
    } finally {
      if (seq === this.#seq && this.#started && (this.#ws?.readyState !== 1 || this.#error)) this.#poll();
    }
  }

  #poll() {
    this.#timer ||= setTimeout(() => this.refresh(), this.#pollMs);
  }

  /**
   * Opens the socket that says when the record's invoices changed: each notice refreshes once. Once
   * open (first time or again), the panel refreshes at once and revalidates now and then (#recheck).
   * When it drops, polling takes over and it reconnects with backoff. The token goes in the query
   * (a browser sets no headers on a WebSocket).
   */
  #socket(url) {
    if (!url || !this.#started || this.#ws || this.#wsTimer || !window.WebSocket) return;
    this.#wsUrl = url;
    const ws = (this.#ws = new WebSocket(`${url}?token=${encodeURIComponent(this.#token)}`));
    ws.onopen = () => {
      ws.opened = true;
      this.#wsRenewed = false;
      this.#wsWait = 1000;
      // API Gateway drops a connection idle for 10 minutes; a message every 9 keeps it.
      ws.keep = setInterval(() => ws.send('{"action":"ping"}'), 540000);
      // A change committed before $connect stored this socket sent it no notice: read once now
      // (the poll stops once this read finds the socket up).
      this.refresh();
      this.#recheck();
    };
    ws.onmessage = (e) => {
      if (!String(e.data).includes('"changed"')) return; // e.g. API Gateway's answer to a ping
      clearTimeout(this.#notice);
      this.#notice = setTimeout(() => this.refresh(), 50); // a burst of changes, one fetch
    };
    ws.onclose = () => {
      clearInterval(ws.keep);
      if (this.#ws !== ws) return;
      clearTimeout(this.#recheckTimer);
      this.#ws = null;
      if (!this.#started) return;
      this.#poll();
      // Refused at the handshake, which a browser cannot tell apart from a network failure: the token
      // may have expired (the socket outlives it), so the next attempt first asks token-url for a
      // fresh one, once until a socket opens again.
      const renew = !ws.opened && !this.#wsRenewed;
      this.#wsTimer = setTimeout(async () => {
        if (renew) this.#wsRenewed = await this.#newToken();
        this.#wsTimer = 0;
        this.#socket(this.#wsUrl);
      }, this.#wsWait);
      this.#wsWait = Math.min(this.#wsWait * 2, this.#pollMs);
    };
  }

  /** While the socket is up: a refresh every REVALIDATE_MS (a hidden tab waits for visibilitychange). */
  #recheck() {
    clearTimeout(this.#recheckTimer);
    this.#recheckTimer = setTimeout(() => {
      if (this.#ws?.readyState !== 1) return; // down: the fallback poll runs instead
      if (document.visibilityState === "visible") this.refresh();
      this.#recheck();
    }, XeroInvoicePanel.REVALIDATE_MS);
  }

  #closeSocket() {
    const ws = this.#ws;
    this.#ws = null;
    clearTimeout(this.#recheckTimer);
    clearTimeout(this.#wsTimer);
    this.#wsTimer = 0;
    ws?.close();
  }

  /** An invoice's payments, fetched again whenever its list row says it changed. */
  async #detail(row) {
    const d = this.#details.get(row.invoiceId);
    if (d && d.updatedUtc === row.updatedUtc) return { body: d, changed: false };
    const body = (await this.#get(`${this.#tenantBase}/invoices/${encodeURIComponent(row.invoiceId)}`)).body;
    this.#details.set(row.invoiceId, body);
    return { body, changed: true };
  }

  async #togglePin(id, pressed) {
    const url = pressed ? `${this.#recordBase}/pins/${encodeURIComponent(id)}` : `${this.#recordBase}/pins`;
    const init = pressed
      ? { method: "DELETE" }
      : { method: "POST", body: JSON.stringify({ invoiceId: id }), headers: { "Content-Type": "application/json" } };
    init.headers = { ...(init.headers || {}), Authorization: `Bearer ${this.#token}` };
    if (pressed) this.#data.pinned.delete(id);
    else this.#data.pinned.add(id);
    this.#render();
    // One pin write at a time, in the order asked: a pin and a quick unpin sent together could
    // reach the API the other way round (the unpin a 404, the pin kept).
    await (this.#pinWrites = this.#pinWrites.then(async () => {
      try {
        const r = await fetch(url, { ...init, credentials: "omit" });
        if (!r.ok && r.status !== 404) this.#error = await this.#problem(r);
      } catch {
        this.#error = { status: 0, detail: "" };
      }
    }));
    this.refresh();
  }

  // ---- formatting

  // Intl formatters are costly to build and a render formats hundreds of values: one per currency.
  #formats = new Map();
  #format(key, make) {
    let f = this.#formats.get(key);
    if (!f) this.#formats.set(key, (f = make()));
    return f;
  }

  #money(amount, currency) {
    try {
      const f = this.#format(`${this.#locale}|${currency}`, () => new Intl.NumberFormat(this.#locale, { style: "currency", currency }));
      return f.format(Number(amount));
    } catch {
      return `${amount} ${currency}`;
    }
  }

  /** A calendar date as the organisation wrote it: formatted in UTC so no timezone shifts it. */
  #date(iso) {
    if (!iso) return "";
    const [y, m, d] = iso.split("-").map(Number);
    const f = this.#format(`${this.#locale}|date`, () => new Intl.DateTimeFormat(this.#locale, { dateStyle: "medium", timeZone: "UTC" }));
    return f.format(Date.UTC(y, m - 1, d));
  }

  // ---- rendering

  /** Forgets the loaded list: the view or a filter changed. */
  #reset() {
    this.#data = null;
    this.#pages = 1;
  }

  #reload() {
    this.#reset();
    this.#render();
    this.refresh();
  }

  /** The parts that never re-render (so typing and focus survive live updates). */
  #shell() {
    this.#root.innerHTML = `
<header part="header"><h2>Xero invoices</h2><span class="xl" data-contacts></span><span class="vh" role="status" aria-live="polite" data-live></span></header>
<div data-banner></div>
<div class="totals" part="totals" data-totals></div>
<div class="tools" part="tools">
  <input type="search" data-number placeholder="Invoice number" aria-label="Search by invoice number" autocomplete="off">
  <div class="dates" role="group" aria-label="Invoice date">
    <label>From <input type="date" data-from></label>
    <label>To <input type="date" data-to></label>
    <button type="button" data-apply>Apply</button><button type="button" data-clear>Clear</button>
  </div>
  <label><input type="checkbox" data-drafts> Drafts and voided</label>
  <span class="sort"><label for="xip-sort">Sort</label><select id="xip-sort" data-sort>${SORTS.map(([v, label]) => `<option value="${v}">${label}</option>`).join("")}</select></span>
</div>
<div class="views" role="group" aria-label="Saved views" data-views></div>
<div class="scroll" data-scroll></div>`;
    const $ = (s) => this.#root.querySelector(s);
    let debounce = 0;
    const search = $("[data-number]");
    search.addEventListener("input", () => {
      clearTimeout(debounce);
      debounce = setTimeout(() => {
        this.#number = search.value.trim();
        this.#reload();
      }, 250);
    });
    // Dates apply on Apply (or Enter), not per keystroke: a half-typed date is not a filter.
    const from = $("[data-from]");
    const to = $("[data-to]");
    const apply = () => {
      if (from.value === this.#from && to.value === this.#to) return;
      this.#from = from.value;
      this.#to = to.value;
      this.#reload();
    };
    $("[data-apply]").addEventListener("click", apply);
    for (const input of [from, to]) input.addEventListener("keydown", (e) => e.key === "Enter" && apply());
    $("[data-clear]").addEventListener("click", () => {
      from.value = to.value = "";
      apply();
    });
    const drafts = $("[data-drafts]");
    drafts.addEventListener("change", () => {
      this.#drafts = drafts.checked;
      if (this.#drafts && this.#view !== "all") this.#view = "all";
      this.#reload();
    });
    const sort = $("[data-sort]");
    sort.addEventListener("change", () => {
      this.#sort = sort.value;
      this.#render();
    });
    this.#root.addEventListener("click", (e) => this.#onClick(e));
    this.#root.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && this.#openPop) {
        this.#dismissed = this.#openPop;
        this.#closePop();
      }
    });
    this.#root.addEventListener("mouseover", (e) => {
      const b = e.target.closest?.("[data-pay]");
      if (b && this.#dismissed !== b.dataset.pay) this.#showPop(b.dataset.pay);
    });
    this.#root.addEventListener("mouseout", (e) => {
      const cell = e.target.closest?.(".pay");
      if (cell && !cell.contains(e.relatedTarget) && !cell.contains(this.#root.activeElement)) this.#closePop();
    });
    this.#root.addEventListener("focusin", (e) => {
      if (this.#restoring) return;
      const b = e.target.closest?.("[data-pay]");
      if (!b || b.dataset.pay !== this.#dismissed) this.#dismissed = null;
      if (b && this.#dismissed !== b.dataset.pay) this.#showPop(b.dataset.pay);
      else if (this.#openPop && !e.target.closest?.(".pay")) this.#closePop();
    });
    this.#render();
  }

  #onClick(e) {
    const t = e.target.closest("button");
    if (!t) return;
    if (t.dataset.view) {
      this.#view = t.dataset.view;
      if (this.#view !== "all") {
        this.#drafts = false;
        this.#root.querySelector("[data-drafts]").checked = false;
      }
      this.#reload();
    } else if (t.dataset.pin) {
      this.#togglePin(t.dataset.pin, t.getAttribute("aria-pressed") === "true");
    } else if (t.dataset.pay) {
      this.#dismissed = null;
      this.#openPop === t.dataset.pay ? this.#closePop() : this.#showPop(t.dataset.pay);
    } else if (t.dataset.more !== undefined) {
      this.#pages++;
      this.#before = new Set(this.#data.invoices.map(rowId));
      t.disabled = true;
      this.refresh();
    } else if (t.dataset.link !== undefined) {
      this.dispatchEvent(
        new CustomEvent("xero-link-requested", {
          bubbles: true,
          composed: true,
          detail: { tenant: this.getAttribute("tenant"), ...this.#record },
        }),
      );
    } else if (t.dataset.doc) {
      this.#openDocument(t.dataset.id, t.dataset.doc, t);
    } else if (t.dataset.retry !== undefined) {
      this.#error = null;
      this.#reload();
    }
  }

  /**
   * Opens an invoice's online invoice or PDF in a new tab. Their links come from the API only on a
   * click (Xero's online invoice link is kept by the API after its first fetch); the PDF link is
   * signed for 5 minutes and fetched with Accept: application/pdf, which API Gateway needs to send
   * it as binary.
   */
  async #openDocument(id, kind, btn) {
    if (btn.getAttribute("aria-busy") === "true") return;
    btn.setAttribute("aria-busy", "true");
    this.#docNote = "";
    try {
      const url = `${this.#tenantBase}/invoices/${encodeURIComponent(id)}/documents`;
      const ask = () =>
        fetch(url, { headers: { Authorization: `Bearer ${this.#token}` }, cache: "no-store", credentials: "omit" });
      let r = await ask();
      if (r.status === 401 && (await this.#newToken())) r = await ask();
      if (!r.ok) throw await this.#problem(r);
      const d = await r.json();
      if (kind === "online") {
        if (!d.onlineInvoiceUrl) throw { status: 404, detail: "" };
        window.open(d.onlineInvoiceUrl, "_blank", "noopener");
      } else {
        const p = await fetch(d.pdfUrl, { headers: { Accept: "application/pdf" }, credentials: "omit", cache: "no-store" });
        if (!p.ok) throw await this.#problem(p);
        const blob = URL.createObjectURL(await p.blob());
        window.open(blob, "_blank");
        setTimeout(() => URL.revokeObjectURL(blob), 60000);
      }
    } catch (e) {
      const what = kind === "online" ? "The online invoice" : "The PDF";
      this.#docNote =
        e && e.status === 404
          ? `${what} isn't available for this invoice in Xero.`
          : `${what} could not be opened just now. Try again in a moment; if it keeps failing, tell your admin.`;
      this.#render();
    } finally {
      btn.removeAttribute("aria-busy");
    }
  }

  async #showPop(id) {
    if (this.#openPop === id) return;
    this.#closePop();
    this.#openPop = id;
    const btn = this.#root.querySelector(`[data-pay="${id}"]`);
    const row = this.#data?.invoices.find((i) => rowId(i) === id);
    if (!btn || !row) return;
    btn.setAttribute("aria-expanded", "true");
    const pop = document.createElement("div");
    pop.className = "pop";
    pop.id = `pop-${id}`;
    pop.setAttribute("role", "tooltip");
    pop.setAttribute("part", "popover");
    pop.textContent = "Loading payments…";
    btn.after(pop);
    btn.setAttribute("aria-describedby", pop.id);
    if (isCredit(row)) {
      pop.innerHTML = this.#allocations(row);
      return;
    }
    try {
      const d = (await this.#detail(row)).body;
      if (this.#openPop !== id) return;
      const refs = d.instalments.some((p) => p.reference);
      const rows = d.instalments
        .map(
          (p) =>
            `<tr><td>${p.number}</td><td>${esc(this.#date(p.date))}</td><td class="num">${esc(this.#money(p.amount, d.currency))}</td>${
              refs ? `<td>${esc(p.reference || "—")}</td>` : ""
            }</tr>`,
        )
        .join("");
      pop.innerHTML = `<strong>${plural(d.instalments.length, "instalment")} paid</strong>
<table><thead><tr><th scope="col">No.</th><th scope="col">Date</th><th scope="col" class="num">Amount</th>${
        refs ? '<th scope="col">Payment no.</th>' : ""
      }</tr></thead><tbody>${rows}</tbody></table>
${Number(d.amountDue) > 0 ? `<div>Still due: ${esc(this.#money(d.amountDue, d.currency))}</div>` : ""}`;
    } catch {
      pop.textContent = "Payments could not be loaded. Move away and back to try again.";
    }
  }

  /** Where a credit note's credit went: the list row carries its allocations, so nothing to fetch. */
  #allocations(c) {
    const rows = c.allocations
      .map(
        (a) =>
          `<tr><td>${esc(a.invoiceNumber || "(no number)")}</td><td>${esc(this.#date(a.date))}</td><td class="num">${esc(
            this.#money(a.amount, c.currency),
          )}</td></tr>`,
      )
      .join("");
    return `<strong>Allocated to ${plural(c.allocations.length, "invoice")}</strong>
<table><thead><tr><th scope="col">Invoice</th><th scope="col">Date</th><th scope="col" class="num">Amount</th></tr></thead><tbody>${rows}</tbody></table>
<div>Credit left: ${esc(this.#money(c.remainingCredit, c.currency))}</div>`;
  }

  #closePop() {
    if (!this.#openPop) return;
    const id = this.#openPop;
    this.#openPop = null;
    this.#root.getElementById(`pop-${id}`)?.remove();
    const btn = this.#root.querySelector(`[data-pay="${id}"]`);
    btn?.setAttribute("aria-expanded", "false");
    btn?.removeAttribute("aria-describedby");
  }

  #render() {
    const $ = (s) => this.#root.querySelector(s);
    const focusKey = this.#root.activeElement?.dataset?.key;
    const d = this.#data;
    // views
    $("[data-views]").innerHTML = VIEWS.map(
      ([v, label]) =>
        `<button type="button" data-view="${v}" data-key="view-${v}" aria-pressed="${!this.#number && this.#view === v}">${label}</button>`,
    ).join("");
    // banner: connection status and errors
    $("[data-banner]").innerHTML =
      this.#banner() + (this.#docNote ? `<div class="banner error" role="alert">${esc(this.#docNote)}</div>` : "");
    // the linked contacts, each a link into Xero
    const contacts = (d?.contacts || []).filter((c) => c.xeroUrl);
    $("[data-contacts]").innerHTML = contacts
      .map(
        (c) =>
          `<a href="${esc(c.xeroUrl)}" target="_blank" rel="noopener noreferrer" data-key="contact-${esc(c.contactId)}">${
            contacts.length === 1 ? "Open contact in Xero" : esc(`Open ${c.name || "contact"} in Xero`)
          }</a>`,
      )
      .join("");
    // totals
    $("[data-totals]").innerHTML = this.#totals();
    // table
    const scroll = $("[data-scroll]");
    if (this.#error && !d) {
      scroll.innerHTML = "";
      scroll.removeAttribute("aria-busy");
    } else if (!d) {
      scroll.setAttribute("aria-busy", "true");
      scroll.innerHTML = this.#table(
        Array.from({ length: 5 }, () => `<tr aria-hidden="true">${'<td><span class="sk"></span></td>'.repeat(10)}</tr>`).join(""),
        "Loading invoices…",
      );
    } else {
      scroll.removeAttribute("aria-busy");
      const sorted = [...d.invoices].sort(
        (a, b) => SORTS.find(([v]) => v === this.#sort)[2](a, b) || cmp(rowNumber(b), rowNumber(a)),
      );
      const rows = sorted.map((i) => (isCredit(i) ? this.#creditRow(i) : this.#row(i, d.pinned.has(i.invoiceId)))).join("");
      const known = this.#known();
      const shown = d.invoices.length;
      scroll.innerHTML =
        this.#table(rows || `<tr><td colspan="10" class="empty">${this.#emptyText()}</td></tr>`, this.#caption(shown, known)) +
        (d.more
          ? `<div class="more"><button type="button" data-more data-key="more">Show more</button><span>${
              known != null ? `${shown} of ${known} shown` : `${shown} shown; more to load`
            }</span></div>`
          : "");
      $("[data-live]").textContent = known != null && d.more ? `${shown} of ${known} invoices` : plural(shown, "invoice");
    }
    if (this.#openPop) {
      const id = this.#openPop;
      this.#openPop = null;
      this.#showPop(id);
    }
    const fresh = this.#before && d && d.invoices.find((i) => !this.#before.has(rowId(i)));
    const key = fresh ? `${isCredit(fresh) ? "open" : "pin"}-${rowId(fresh)}` : focusKey;
    if (fresh) this.#before = null;
    if (key) {
      this.#restoring = true;
      this.#root.querySelector(`[data-key="${key}"]`)?.focus();
      this.#restoring = false;
    }
  }

  /**
   * How many rows the view holds in all, where the totals say (paid and unpaid, unfiltered): its
   * invoices, and its credit notes with credit left (unpaid) or used up (paid).
   */
  #known() {
    const t = this.#data?.totals;
    if (!t || this.#number || this.#from || this.#to || !["paid", "unpaid"].includes(this.#view)) return null;
    const credit = this.#view === "paid" ? "used" : "available";
    return t.reduce((n, c) => n + c[this.#view].count + (c.creditNotes?.[credit].count ?? 0), 0);
  }

  #caption(n, known) {
    const label = this.#number
      ? `Invoices matching “${this.#number}”`
      : `${VIEWS.find(([v]) => v === this.#view)?.[1] ?? "All"} invoices`;
    const range = this.#from || this.#to ? `, dated ${this.#from || "…"} to ${this.#to || "…"}` : "";
    const count = this.#data.more ? (known != null ? `${n} of ${known}` : `first ${n}`) : `${n}`;
    const sort = SORTS.find(([v]) => v === this.#sort)[1].toLowerCase();
    const sorted = this.#data.more ? `, sorted by ${sort} among those loaded` : `, sorted by ${sort}`;
    return `${label}${range}: ${count}${sorted}`;
  }

  #emptyText() {
    if (this.#data && !this.#data.linked && this.#view !== "pinned")
      return `This record isn't linked to a Xero contact yet, so no invoices can show here.<br><button type="button" data-link data-key="link">Link to a Xero contact</button>`;
    if (this.#number) return esc(`No invoice number starts with “${this.#number}”.`);
    const name = VIEWS.find(([v]) => v === this.#view)?.[1].toLowerCase() ?? "";
    return this.#view === "pinned" ? "Nothing pinned yet. Pin an invoice with its star." : esc(`No ${name} invoices.`);
  }

  #table(body, caption) {
    return `<table part="table"><caption>${esc(caption)}</caption><thead><tr>
<th scope="col"><span class="vh">Pinned</span></th><th scope="col">Number</th><th scope="col">Date</th><th scope="col">Due</th>
<th scope="col">Reference</th><th scope="col">Type</th><th scope="col" class="num">Balance</th><th scope="col" class="num">Total</th>
<th scope="col">Status</th><th scope="col">Payments</th>
</tr></thead><tbody>${body}</tbody></table>`;
  }

  #row(i, pinned) {
    const id = esc(i.invoiceId);
    const num = esc(i.invoiceNumber || "(no number)");
    const link = i.xeroUrl
      ? `<a href="${esc(i.xeroUrl)}" target="_blank" rel="noopener noreferrer" data-key="open-${id}">${num}<span class="vh"> (opens in Xero)</span></a>`
      : num;
    const key = i.partiallyPaid ? "PART" : i.displayStatus;
    const [icon, text] =
      key === "PART"
        ? [i.overdue ? "!" : "◐", i.overdue ? "Overdue, part paid" : "Part paid"]
        : STATUS_TEXT[i.displayStatus] || ["•", i.displayStatus];
    const days = i.overdue && i.daysOverdue ? ` ${i.daysOverdue} d` : "";
    const paid = i.instalmentCount ? `: ${plural(i.instalmentCount, "instalment")}` : "";
    const pay = i.instalmentCount
      ? `<span class="pay"><button type="button" data-pay="${id}" data-key="pay-${id}" aria-expanded="false">Payments (${i.instalmentCount})</button></span>`
      : `<span aria-label="No payments">—</span>`;
    return `<tr part="row" data-invoice="${id}">
<td class="c-pin"><button type="button" class="pin" part="pin" data-pin="${id}" data-key="pin-${id}" aria-pressed="${pinned}" aria-label="Pin ${num}">${pinned ? "★" : "☆"}</button></td>
<td class="c-num">${link}${this.#docs(i, id, num)}</td><td class="c-date" data-l="Date">${esc(this.#date(i.date))}</td><td class="c-due" data-l="Due">${esc(this.#date(i.dueDate))}</td>
<td class="c-ref" data-l="Reference">${esc(i.reference)}</td><td class="c-type" data-l="Type">${esc(TYPES[i.type] || i.type)}</td>
<td class="num c-bal" data-l="Balance">${esc(this.#money(i.amountDue, i.currency))}</td><td class="num c-tot" data-l="Total">${esc(this.#money(i.total, i.currency))}</td>
<td class="c-status"><span class="status ${esc(i.overdue ? "OVERDUE" : i.displayStatus)}" part="status"><span aria-hidden="true">${icon}</span>${esc(text + days + paid)}</span></td>
<td class="c-pay">${pay}</td></tr>`;
  }

  /** A credit note: no pin (pins hold invoices) and no due date; its credit left as a negative balance. */
  #creditRow(c) {
    const id = esc(c.creditNoteId);
    const num = esc(c.creditNoteNumber || "(no number)");
    const link = c.xeroUrl
      ? `<a href="${esc(c.xeroUrl)}" target="_blank" rel="noopener noreferrer" data-key="open-${id}">${num}<span class="vh"> (opens in Xero)</span></a>`
      : num;
    const [icon, text] = CREDIT_STATUS[c.displayStatus] || STATUS_TEXT[c.displayStatus] || ["•", c.displayStatus];
    const n = c.allocations.length;
    const alloc = n
      ? `<span class="pay"><button type="button" data-pay="${id}" data-key="pay-${id}" aria-expanded="false">Allocations (${n})</button></span>`
      : `<span aria-label="No allocations">—</span>`;
    return `<tr part="row" data-invoice="${id}" data-kind="credit-note">
<td class="c-pin"></td>
<td class="c-num">${link}</td><td class="c-date" data-l="Date">${esc(this.#date(c.date))}</td><td class="c-due" data-l="Due"></td>
<td class="c-ref" data-l="Reference">${esc(c.reference)}</td><td class="c-type" data-l="Type">${esc(TYPES[c.type] || c.type)}</td>
<td class="num c-bal" data-l="Credit left">${esc(this.#money(-c.remainingCredit, c.currency))}</td><td class="num c-tot" data-l="Total">${esc(this.#money(-c.total, c.currency))}</td>
<td class="c-status"><span class="status ${esc(c.displayStatus)}" part="status"><span aria-hidden="true">${icon}</span>${esc(text)}</span></td>
<td class="c-pay">${alloc}</td></tr>`;
  }

  /** The invoice's online invoice (sales invoices sent or approved) and PDF (invoices and bills). */
  #docs(i, id, num) {
    const b = (kind, text, label) =>
      `<button type="button" data-doc="${kind}" data-id="${id}" data-key="${kind}-${id}" aria-label="${label} ${num} (opens a new tab)">${text}</button>`;
    const online = i.type === "ACCREC" && ["OPEN", "OVERDUE", "PAID", "SUBMITTED"].includes(i.displayStatus);
    const pdf = (i.type === "ACCREC" || i.type === "ACCPAY") && i.displayStatus !== "DELETED";
    if (!online && !pdf) return "";
    return `<span class="docs">${online ? b("online", "Online", "Online invoice") : ""}${pdf ? b("pdf", "PDF", "PDF of") : ""}</span>`;
  }

  #totals() {
    const t = this.#data?.totals;
    const box = (kind, label) => {
      const lines = (t || [])
        .map(
          (c) =>
            `<span>${esc(this.#money(c[kind].amount, c.currency))} <small>(${c[kind].count}<span class="vh"> ${
              c[kind].count === 1 ? "invoice" : "invoices"
            }</span>)</small></span>`,
        )
        .join("<br>");
      const content = t ? lines || "—" : '<span class="sk"></span>';
      return `<button type="button" data-view="${kind}" data-key="total-${kind}" aria-pressed="${!this.#number && this.#view === kind}"><b>${label}</b>${content}</button>`;
    };
    return box("paid", "Total paid") + box("unpaid", "Total unpaid") + this.#story(t);
  }

  /**
   * The balance story, per currency with credit notes' credit left: what is owed, the credit, and
   * what remains (the API's exact decimals: the panel does no arithmetic on amounts).
   */
  #story(t) {
    const lines = (t || [])
      .filter((c) => c.creditNotes?.available.count)
      .map((c) => {
        const owed = this.#money(c.unpaid.amount, c.currency);
        const credit = this.#money(c.creditNotes.available.amount, c.currency);
        const left = Number(c.outstanding) < 0
          ? `${this.#money(-c.outstanding, c.currency)} in credit`
          : `${this.#money(c.outstanding, c.currency)} outstanding`;
        return esc(`Owed ${owed}, credit ${credit} available: ${left}.`);
      });
    return lines.length ? `<p class="story" data-story>${lines.join("<br>")}</p>` : "";
  }

  #banner() {
    const e = this.#error;
    if (e) {
      if (e.status === 401)
        return `<div class="banner error" role="alert">Your session for this panel has ended. <button type="button" data-retry data-key="retry">Try again</button></div>`;
      const what =
        TROUBLE[e.status] ??
        (e.status >= 500
          ? TROUBLE[500]
          : `The invoice service refused the panel's request${e.detail ? `: ${e.detail}` : "."} Reload the page; if it keeps happening, tell your admin.`);
      return `<div class="banner error" role="alert">${esc(what)} <button type="button" data-retry data-key="retry">Retry</button></div>`;
    }
    const s = this.#data?.status;
    if (!s) return "";
    switch (s.status) {
      case "PENDING":
      case "SYNCING":
        return `<div class="banner" role="status" part="banner"><label for="xip-progress">Syncing from Xero: ${s.percentDone ?? 0}%</label><progress id="xip-progress" max="100" value="${s.percentDone ?? 0}">${s.percentDone ?? 0}%</progress></div>`;
      case "RATE_LIMITED": {
        const at = s.retryAt
          ? new Intl.DateTimeFormat(this.#locale, { timeStyle: "short" }).format(new Date(s.retryAt))
          : null;
        return `<div class="banner" role="status" part="banner">Xero's limit for this organisation is used up; invoices may be behind${at ? ` until ${esc(at)}` : ""}. They catch up by themselves.</div>`;
      }
      case "NEEDS_RECONNECT":
      case "DISCONNECTED":
      case "NOT_CONNECTED": {
        const url = this.getAttribute("reconnect-url");
        const action = url
          ? `<a href="${esc(url)}" target="_top" data-key="reconnect">Reconnect Xero</a>`
          : "Ask an admin to reconnect Xero.";
        return `<div class="banner error" role="alert" part="banner">${esc(s.reason || "Xero needs reconnecting.")} Invoices may be out of date. ${action}</div>`;
      }
      default:
        return "";
    }
  }
}

if (!customElements.get("xero-invoice-panel")) customElements.define("xero-invoice-panel", XeroInvoicePanel);
