// <xero-connection>: the host's settings page for Xero. Connect, watch the first sync, set up
// accounts, reconnect or disconnect. Plain custom element, no dependencies: this file is what the
// API serves (GET /panel/xero-connection.js). See docs/panel.md, "<xero-connection>".
const CSS = `
:host{--xc-font:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;--xc-fg:#1f2328;--xc-muted:#57606a;--xc-bg:#fff;
--xc-border:#818b98;--xc-accent:#0b57d0;--xc-ok:#116329;--xc-bad:#a40e26;--xc-radius:6px;
display:block;box-sizing:border-box;min-width:0;font:14px/1.45 var(--xc-font);color:var(--xc-fg);background:var(--xc-bg)}
*{box-sizing:border-box}
section{padding:12px;display:flex;flex-direction:column;gap:10px;min-width:0}
h2{font-size:16px;margin:0}h3{font-size:14px;margin:6px 0 0}
p{margin:0;overflow-wrap:anywhere}
dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:2px 12px;margin:0}
dt{color:var(--xc-muted)}dd{margin:0;overflow-wrap:anywhere}
.badge{display:inline-block;padding:0 8px;border:1px solid currentColor;border-radius:999px;font-size:12px;font-weight:600}
.CONNECTED{color:var(--xc-ok)}.NEEDS_RECONNECT,.DISCONNECTED,.NOT_CONNECTED,.RATE_LIMITED{color:var(--xc-bad)}.PENDING,.SYNCING{color:var(--xc-accent)}
progress{width:100%;height:12px}
.phases{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:8px}.phases li{display:flex;flex-direction:column;gap:2px;min-width:0}
.row{display:flex;flex-wrap:wrap;gap:8px;align-items:center}
button,select{font:inherit;min-height:32px;border:1px solid var(--xc-border);border-radius:var(--xc-radius);background:var(--xc-bg);color:var(--xc-fg);padding:4px 12px;max-width:100%}
button{cursor:pointer}
button.primary{background:var(--xc-accent);border-color:var(--xc-accent);color:#fff}
button.danger{color:var(--xc-bad);border-color:var(--xc-bad)}
button:focus-visible,select:focus-visible,input:focus-visible{outline:2px solid var(--xc-accent);outline-offset:2px}
fieldset{border:1px solid var(--xc-border);border-radius:var(--xc-radius);margin:0;padding:8px 10px;min-width:0}
legend{padding:0 4px;font-weight:600}
label{display:flex;flex-direction:column;gap:2px;min-width:0}
.radio{flex-direction:row;align-items:center;gap:6px;min-height:28px}
.radio input{width:18px;height:18px;margin:0}
select{width:100%}
.msg{padding:6px 8px;border:1px solid var(--xc-border);border-radius:var(--xc-radius)}
.msg.bad{border-color:var(--xc-bad);color:var(--xc-bad)}.msg.ok{border-color:var(--xc-ok);color:var(--xc-ok)}
.hint{color:var(--xc-muted);font-size:13px}
`;

const LABEL = {
  NOT_CONNECTED: "Not connected",
  PENDING: "Pending",
  SYNCING: "Pending",
  CONNECTED: "Connected",
  RATE_LIMITED: "Connected, paused",
  NEEDS_RECONNECT: "Needs reconnecting",
  DISCONNECTED: "Disconnected",
};
const PHASE = { RECENT: "Last 12 months", HISTORY: "Older history" };

/** "about 4 minutes", from the server's own count of seconds, so the browser's clock does not matter. */
function about(seconds) {
  const min = Math.max(1, Math.round(seconds / 60));
  return min < 90 ? `about ${min} minute${min === 1 ? "" : "s"}` : `about ${Math.round(min / 60)} hours`;
}

/** One phase of the first sync: its label, a progress element and what it says in words. */
function phase(p) {
  const id = esc(p.name);
  const pct = p.percentDone == null ? null : Number(p.percentDone);
  const known = p.secondsLeft != null;
  const words =
    p.state === "DONE"
      ? "Done"
      : p.state === "WAITING"
        ? `Starts after the last 12 months${known ? `; finished in ${about(p.secondsLeft)}` : ""}`
        : `${pct == null ? `${Number(p.done) || 0} copied` : `${pct}%`}, ${known ? `${about(p.secondsLeft)} left` : "working out the time left"}`;
  return `<li><span id="xc-l-${id}">${esc(PHASE[p.name] || p.name)}</span>
<progress id="xc-p-${id}" max="100"${pct == null ? "" : ` value="${pct}"`} aria-labelledby="xc-l-${id}" aria-describedby="xc-s-${id}"></progress>
<span class="hint" id="xc-s-${id}">${esc(words)}.</span></li>`;
}

// A constructed sheet: a strict CSP (style-src 'self') governs <style> elements, not these.
const SHEET = new CSSStyleSheet();
SHEET.replaceSync(CSS);

const esc = (s) =>
  String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

/** What a person can do about a failed call, in a sentence. */
function sentence(e) {
  if (e.status === 401) return "Your session with Xero settings ran out. Reload the page to continue.";
  if (e.status === 403) return "You are not allowed to change these settings. Ask an admin of your account.";
  if (e.status === 409) return e.detail || "Xero needs reconnecting before this can be done.";
  if (e.status === 429) return "Too many requests just now. Wait a minute, then try again.";
  if (e.status >= 500 || !e.status)
    return "The Xero settings could not be reached. Check your connection, then try again in a minute.";
  return e.detail || "That did not work. Try again.";
}

class XeroConnection extends HTMLElement {
  #root = this.attachShadow({ mode: "open" });
  #token = null;
  #tenant = null;
  #state = null;
  #accounts = null;
  #settings = null;
  #timer = 0;
  #confirm = false;
  #message = null;
  #draft = null;

  connectedCallback() {
    this.#root.adoptedStyleSheets = [SHEET];
    this.#root.innerHTML = `<section aria-live="polite" aria-busy="true"><h2>Xero</h2><p>Loading…</p></section>`;
    this.#load();
  }

  disconnectedCallback() {
    clearTimeout(this.#timer);
  }

  get #api() {
    const a = this.getAttribute("api");
    return a ? (a.endsWith("/") ? a : a + "/") : new URL("../", import.meta.url).href;
  }

  /** The host's backend mints the settings token; no token when it has no Xero organisation yet. */
  async #newToken() {
    const r = await fetch(this.getAttribute("token-url"), { credentials: "same-origin", cache: "no-store" });
    if (r.status === 204 || r.status === 404) return false;
    if (!r.ok) throw { status: r.status };
    const body = await r.json();
    this.#token = body.token || null;
    this.#tenant = body.tenantId || null;
    return !!this.#token;
  }

  async #call(method, path, body) {
    for (let attempt = 0; ; attempt++) {
      let r;
      try {
        r = await fetch(`${this.#api}tenants/${encodeURIComponent(this.#tenant)}/${path}`, {
          method,
          cache: "no-store",
          headers: { Authorization: `Bearer ${this.#token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
          body: body ? JSON.stringify(body) : undefined,
        });
      } catch {
        throw { status: 0 };
      }
      if (r.status === 401 && attempt === 0 && (await this.#newToken())) continue;
      let json = {};
      try {
        json = await r.json();
      } catch {}
      if (!r.ok) throw { status: r.status, detail: json.detail };
      return json;
    }
  }

  async #load() {
    clearTimeout(this.#timer);
    try {
      if (!this.#token && !(await this.#newToken())) {
        this.#state = { status: "NOT_CONNECTED" };
      } else {
        this.#state = await this.#call("GET", "settings/connection");
        if (this.#state.status === "CONNECTED" && !this.#accounts) {
          const [accounts, settings] = await Promise.all([
            this.#call("GET", "settings/accounts"),
            this.#call("GET", "settings/accounting"),
          ]);
          this.#accounts = accounts;
          this.#settings = settings.settings || null;
        }
      }
      this.#render();
    } catch (e) {
      this.#message = { bad: true, text: sentence(e) };
      this.#render();
    }
    const s = this.#state?.status;
    // The first sync moves on its own: look again every few seconds until it is done.
    if (s === "PENDING" || s === "SYNCING") {
      this.#timer = setTimeout(() => this.#load(), Number(this.getAttribute("poll-interval")) || 5000);
    }
  }

  #render() {
    const st = this.#state || { status: "NOT_CONNECTED" };
    const s = st.status;
    const focus = this.#root.activeElement?.id;
    let h = `<section aria-labelledby="xc-h"><div class="row"><h2 id="xc-h">Xero</h2><span class="badge ${esc(s)}" id="xc-status">${esc(LABEL[s] || s)}</span></div>`;
    if (st.organisationName)
      h += `<dl><dt>Organisation</dt><dd id="xc-org">${esc(st.organisationName)}</dd>${
        st.connectedBy ? `<dt>Connected by</dt><dd id="xc-by">${esc(st.connectedBy)}</dd>` : ""
      }</dl>`;
    if (s === "NOT_CONNECTED" || s === "DISCONNECTED") {
      h += `<p>Connect your Xero organisation to see its invoices here and send payments to it.</p><div class="row"><button class="primary" id="xc-connect">Connect to Xero</button></div>`;
    } else if (s === "PENDING" || s === "SYNCING") {
      const i = st.initialSync || {};
      const phases = i.phases || [{ name: "RECENT", state: "RUNNING", percentDone: 0 }, { name: "HISTORY", state: "WAITING" }];
      h += `<p id="xc-phase">Copying invoices from Xero: the last 12 months first, usable as soon as they are done, then older history.</p>
<ul class="phases" aria-label="First sync">${phases.map(phase).join("")}</ul>`;
    } else if (s === "NEEDS_RECONNECT") {
      h += `<p class="msg bad" id="xc-reason">${esc(st.reason)}</p><div class="row"><button class="primary" id="xc-connect">Reconnect to Xero</button></div>`;
    } else if (s === "RATE_LIMITED") {
      h += `<p id="xc-reason">${esc(st.reason)}${st.retryAt ? ` It resumes around ${esc(new Date(st.retryAt).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }))}.` : ""}</p>`;
    }
    if (s === "CONNECTED" && this.#accounts) h += this.#setup();
    if (this.#message)
      h += `<p class="msg ${this.#message.bad ? "bad" : "ok"}" role="${this.#message.bad ? "alert" : "status"}" id="xc-msg">${esc(this.#message.text)}</p>`;
    if (s !== "NOT_CONNECTED" && s !== "DISCONNECTED") {
      h += this.#confirm
        ? `<div class="row" role="group" aria-labelledby="xc-confirm-q"><p id="xc-confirm-q">Disconnect ${esc(st.organisationName || "Xero")}? Invoices stop updating until you connect again.</p><button class="danger" id="xc-yes">Yes, disconnect</button><button id="xc-no">Cancel</button></div>`
        : `<div class="row"><button class="danger" id="xc-disconnect">Disconnect</button></div>`;
    }
    this.#root.innerHTML = h + "</section>";
    this.#wire();
    const again = focus && this.#root.getElementById(focus);
    if (again) again.focus();
  }

  #options(list, chosen, suggested) {
    return list
      .map(
        (a) =>
          `<option value="${esc(a.code)}"${a.code === chosen ? " selected" : ""}>${esc(a.name)} (${esc(a.code)})${
            a.code === suggested ? " – suggested" : ""
          }</option>`,
      )
      .join("");
  }

  #setup() {
    const a = this.#accounts;
    const cur = this.#draft || this.#settings || {};
    const pay = cur.paymentAccountCode || a.suggestedPaymentAccountCode || a.paymentAccounts[0]?.code;
    const status = cur.invoiceStatus || "DRAFT";
    return `<form id="xc-setup" novalidate><h3>Set up accounts</h3>
<p class="hint">${this.#settings ? "Saved. Change a choice and save again." : "Choose where payments and deposits go, then save."}</p>
<label>Payment account<select id="xc-pay" name="paymentAccountCode">${this.#options(a.paymentAccounts, pay, a.suggestedPaymentAccountCode)}</select></label>
<label>Deposit bank account<select id="xc-bank" name="depositAccountCode"><option value="">None</option>${this.#options(a.bankAccounts, cur.depositAccountCode, null)}</select></label>
<fieldset><legend>New invoices go to Xero as</legend>
<label class="radio"><input type="radio" name="invoiceStatus" value="DRAFT" id="xc-draft"${status === "DRAFT" ? " checked" : ""}>Drafts</label>
<label class="radio"><input type="radio" name="invoiceStatus" value="AUTHORISED" id="xc-auth"${status === "AUTHORISED" ? " checked" : ""}>Authorised invoices</label></fieldset>
<div class="row"><button class="primary" id="xc-save" type="submit">Save</button></div></form>`;
  }

  #choice() {
    const f = this.#root.getElementById("xc-setup");
    const body = { paymentAccountCode: f.paymentAccountCode.value, invoiceStatus: f.querySelector("input[name=invoiceStatus]:checked").value };
    if (f.depositAccountCode.value) body.depositAccountCode = f.depositAccountCode.value;
    return body;
  }

  /** Every choice goes through the dry run first; what it finds is said in its own words. */
  async #validate() {
    this.#draft = this.#choice();
    const result = await this.#call("PUT", "settings/accounting?validate=only", this.#choice());
    this.#message = result.valid
      ? null
      : { bad: true, text: (result.problems || []).map((p) => p.message).join(" ") || "Xero would refuse this set-up." };
    return result.valid;
  }

  async #save() {
    const op = await this.#call("PUT", "settings/accounting", this.#choice());
    // The set-up is checked against Xero by the write worker: follow its operation to the end.
    let o = op;
    for (let i = 0; i < 60 && !["SUCCEEDED", "FAILED", "NEEDS_ATTENTION"].includes(o.state); i++) {
      await new Promise((r) => setTimeout(r, 500));
      o = await this.#call("GET", `operations/${encodeURIComponent(op.operationId)}`);
    }
    if (o.state !== "SUCCEEDED") {
      this.#message = { bad: true, text: (o.messages || []).join(" ") || o.action || "Xero did not accept the set-up. Try again." };
      return;
    }
    this.#settings = (await this.#call("GET", "settings/accounting")).settings || this.#choice();
    this.#draft = null;
    this.#message = { bad: false, text: "Accounts saved." };
  }

  #wire() {
    const on = (id, type, fn) => this.#root.getElementById(id)?.addEventListener(type, fn);
    const act = (fn) => async (ev) => {
      ev.preventDefault();
      this.#message = null;
      try {
        await fn();
      } catch (e) {
        this.#message = { bad: true, text: sentence(e) };
      }
      this.#render();
    };
    on("xc-connect", "click", () => {
      this.dispatchEvent(new CustomEvent("xero-connect", { bubbles: true, composed: true }));
      const url = this.getAttribute("connect-url");
      if (url) location.assign(url);
    });
    on("xc-disconnect", "click", act(async () => { this.#confirm = true; }));
    on("xc-no", "click", act(async () => { this.#confirm = false; }));
    on("xc-yes", "click", act(async () => {
      this.#confirm = false;
      const r = await fetch(this.getAttribute("disconnect-url"), { method: "POST", credentials: "same-origin" }).catch(() => ({ ok: false, status: 0 }));
      if (!r.ok) throw { status: r.status };
      this.#token = null;
      this.#accounts = null;
      this.#settings = null;
      this.dispatchEvent(new CustomEvent("xero-disconnected", { bubbles: true, composed: true }));
      await this.#load();
    }));
    const form = this.#root.getElementById("xc-setup");
    if (form) {
      form.addEventListener("change", act(() => this.#validate()));
      form.addEventListener("submit", act(async () => {
        if (await this.#validate()) await this.#save();
      }));
    }
  }
}

if (!customElements.get("xero-connection")) customElements.define("xero-connection", XeroConnection);
