package dev.xerosync.infra.xero;

import dev.xerosync.infra.xero.accounting.AccountingGate;
import dev.xerosync.infra.xero.accounting.DeleteAllocation;
import dev.xerosync.infra.xero.accounting.DeletePayment;
import dev.xerosync.infra.xero.accounting.GetAccounts;
import dev.xerosync.infra.xero.accounting.GetBankTransactions;
import dev.xerosync.infra.xero.accounting.GetContacts;
import dev.xerosync.infra.xero.accounting.GetCredits;
import dev.xerosync.infra.xero.accounting.GetCurrencies;
import dev.xerosync.infra.xero.accounting.GetInvoice;
import dev.xerosync.infra.xero.accounting.GetInvoices;
import dev.xerosync.infra.xero.accounting.GetOnlineInvoice;
import dev.xerosync.infra.xero.accounting.GetOrganisation;
import dev.xerosync.infra.xero.accounting.GetPayments;
import dev.xerosync.infra.xero.accounting.GetTaxRates;
import dev.xerosync.infra.xero.accounting.IdempotentWrites;
import dev.xerosync.infra.xero.accounting.PutAllocations;
import dev.xerosync.infra.xero.accounting.PutBankTransactions;
import dev.xerosync.infra.xero.accounting.PutContacts;
import dev.xerosync.infra.xero.accounting.PutInvoices;
import dev.xerosync.infra.xero.accounting.PutPayments;
import dev.xerosync.infra.xero.accounting.ReaderPass;
import dev.xerosync.infra.xero.http.HttpFront;
import dev.xerosync.infra.xero.http.Route;
import dev.xerosync.infra.xero.identity.AuthorizeHandler;
import dev.xerosync.infra.xero.identity.ConnectionsHandler;
import dev.xerosync.infra.xero.identity.DeleteConnectionHandler;
import dev.xerosync.infra.xero.identity.IdentityStore;
import dev.xerosync.infra.xero.identity.RevocationHandler;
import dev.xerosync.infra.xero.identity.TokenHandler;
import dev.xerosync.infra.xero.ledger.Credit;
import dev.xerosync.infra.xero.ledger.Ledger;
import dev.xerosync.infra.xero.ratelimit.RateLimiter;
import dev.xerosync.infra.xero.webhooks.Delivery;
import dev.xerosync.infra.xero.webhooks.WebhookDispatcher;
import dev.xerosync.infra.xero.webhooks.WebhookEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A local Xero: identity (OAuth 2 tokens, connections, login), the accounting API and webhooks, on
 * one port. State lives in per-organisation ledgers; the HTTP handlers and the scripting API
 * ({@link SimOrganisation}) both act on it, and every change is delivered as webhooks the way Xero
 * sends them.
 */
public final class XeroSimulator implements AutoCloseable {
  private GetOnlineInvoice onlineInvoice;

  private final int requestedPort;
  private final SimClock clock;
  private final IdentityStore identity;
  private final RateLimiter limiter;
  private final AccountingGate gate;
  private final WebhookDispatcher webhooks;
  private final Faults faults;
  private final Map<String, SimOrganisation> organisations = new ConcurrentHashMap<>();
  private final HttpFront front = new HttpFront();
  private final SecureRandom random = new SecureRandom();
  private volatile URI baseUrl;

  private XeroSimulator(Builder b) {
    this.requestedPort = b.port;
    this.clock = b.clock;
    this.identity = new IdentityStore(clock);
    b.apps.forEach((id, app) -> identity.registerApp(id, app[0], app[1]));
    this.limiter = new RateLimiter(clock, b.dailyCallLimit);
    this.gate = new AccountingGate(identity, this::ledgerOrNull, limiter, clock);
    this.webhooks = new WebhookDispatcher(clock, b.webhookKey, b.webhookUrl, b.batchWindow);
    this.faults = new Faults(b.seed, gate);
    webhooks.faults(faults.webhookFaults());
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder {
    private int port;
    private SimClock clock = new SimClock();
    private final Map<String, String[]> apps = new LinkedHashMap<>();
    private String webhookKey = "xero-sim-webhook-key";
    private URI webhookUrl;
    private int dailyCallLimit = 5000;
    private Duration batchWindow = Duration.ofMillis(50);
    private long seed = 42;

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder clock(SimClock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /** Registers an OAuth app; a null secret makes it a PKCE (public) client. */
    public Builder app(String clientId, String clientSecret) {
      return app(clientId, clientSecret, clientId);
    }

    /** The name is what the accounting API reports as ProviderName. */
    public Builder app(String clientId, String clientSecret, String name) {
      apps.put(clientId, new String[] {clientSecret, name});
      return this;
    }

    public Builder webhookKey(String key) {
      this.webhookKey = Objects.requireNonNull(key);
      return this;
    }

    public Builder webhookUrl(URI url) {
      this.webhookUrl = url;
      return this;
    }

    /** 5,000 by default; 1,000 models Xero's Starter tier. */
    public Builder dailyCallLimit(int limit) {
      this.dailyCallLimit = limit;
      return this;
    }

    /** Events raised within this window share one delivery (default 50 ms). */
    public Builder webhookBatchWindow(Duration window) {
      this.batchWindow = window;
      return this;
    }

    /** Seed for fault injection. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public XeroSimulator build() {
      return new XeroSimulator(this);
    }

    public XeroSimulator start() {
      return build().start();
    }
  }

  /** How many online invoice links the tenant was given (GET /Invoices/{id}/OnlineInvoice). */
  public long onlineInvoiceCalls(String tenantId) {
    return onlineInvoice == null ? 0 : onlineInvoice.served(tenantId);
  }

  public XeroSimulator start() {
    IdempotentWrites idem = new IdempotentWrites(clock);
    onlineInvoice = new GetOnlineInvoice(clock);
    String api = "/api.xro/2.0";
    front
        .on("POST", "/connect/token", new TokenHandler(identity, clock))
        .on("POST", "/connect/revocation", new RevocationHandler(identity))
        .on("GET", "/connections", new ConnectionsHandler(identity, this::tenantName))
        .on("DELETE", "/connections/{id}", new DeleteConnectionHandler(identity))
        .on(
            "GET",
            "/identity/connect/authorize",
            new AuthorizeHandler(identity, this::organisationNames))
        .on(
            "POST",
            "/identity/connect/authorize",
            new AuthorizeHandler(identity, this::organisationNames))
        .on("GET", api + "/Invoices", gate.guard(new GetInvoices(clock)))
        .on("GET", api + "/Invoices/{id}", gate.guard(new GetInvoice(clock)))
        .on("GET", api + "/Invoices/{id}/OnlineInvoice", gate.guard(onlineInvoice))
        .on("PUT", api + "/Invoices", gate.guard(idem.wrap(new PutInvoices(clock, false))))
        .on("POST", api + "/Invoices", gate.guard(idem.wrap(new PutInvoices(clock, true))))
        .on("POST", api + "/Invoices/{id}", gate.guard(idem.wrap(new PutInvoices(clock, true))))
        .on("GET", api + "/Payments", gate.guard(new GetPayments(clock, false)))
        .on("GET", api + "/Payments/{id}", gate.guard(new GetPayments(clock, true)))
        .on("PUT", api + "/Payments", gate.guard(idem.wrap(new PutPayments(clock))))
        .on("POST", api + "/Payments", gate.guard(idem.wrap(new PutPayments(clock))))
        .on("POST", api + "/Payments/{id}", gate.guard(idem.wrap(new DeletePayment(clock))))
        .on("GET", api + "/BankTransactions", gate.guard(new GetBankTransactions(clock, false)))
        .on("GET", api + "/BankTransactions/{id}", gate.guard(new GetBankTransactions(clock, true)))
        .on("PUT", api + "/BankTransactions", gate.guard(idem.wrap(new PutBankTransactions(clock))))
        .on(
            "POST",
            api + "/BankTransactions",
            gate.guard(idem.wrap(new PutBankTransactions(clock))))
        .on("GET", api + "/Contacts", gate.guard(new GetContacts(clock, false)))
        .on("PUT", api + "/Contacts", gate.guard(idem.wrap(new PutContacts(clock, false))))
        .on("POST", api + "/Contacts", gate.guard(idem.wrap(new PutContacts(clock, true))))
        .on("POST", api + "/Contacts/{id}", gate.guard(idem.wrap(new PutContacts(clock, true))))
        .on("GET", api + "/Contacts/{id}", gate.guard(new GetContacts(clock, true)))
        .on(
            "GET",
            api + "/Organisation",
            gate.guard(new GetOrganisation(clock, WindowsTimeZones::name)))
        .on("GET", api + "/Accounts", gate.guard(new GetAccounts(clock)))
        .on("GET", api + "/TaxRates", gate.guard(new GetTaxRates(clock)))
        .on("GET", api + "/Currencies", gate.guard(new GetCurrencies(clock)))
        .on(
            "GET",
            api + "/CreditNotes",
            gate.guard(new GetCredits(clock, Credit.Kind.CREDITNOTE, false)))
        .on(
            "GET",
            api + "/CreditNotes/{id}",
            gate.guard(new GetCredits(clock, Credit.Kind.CREDITNOTE, true)))
        .on(
            "GET",
            api + "/Overpayments",
            gate.guard(new GetCredits(clock, Credit.Kind.OVERPAYMENT, false)))
        .on(
            "GET",
            api + "/Overpayments/{id}",
            gate.guard(new GetCredits(clock, Credit.Kind.OVERPAYMENT, true)))
        .on(
            "GET",
            api + "/Prepayments",
            gate.guard(new GetCredits(clock, Credit.Kind.PREPAYMENT, false)))
        .on(
            "GET",
            api + "/Prepayments/{id}",
            gate.guard(new GetCredits(clock, Credit.Kind.PREPAYMENT, true)))
        .on(
            "PUT",
            api + "/CreditNotes/{id}/Allocations",
            gate.guard(idem.wrap(new PutAllocations(clock, Credit.Kind.CREDITNOTE))))
        .on(
            "PUT",
            api + "/Overpayments/{id}/Allocations",
            gate.guard(idem.wrap(new PutAllocations(clock, Credit.Kind.OVERPAYMENT))))
        .on(
            "PUT",
            api + "/Prepayments/{id}/Allocations",
            gate.guard(idem.wrap(new PutAllocations(clock, Credit.Kind.PREPAYMENT))))
        .on(
            "DELETE",
            api + "/CreditNotes/{id}/Allocations/{allocationId}",
            gate.guard(new DeleteAllocation(Credit.Kind.CREDITNOTE)))
        .on(
            "DELETE",
            api + "/Overpayments/{id}/Allocations/{allocationId}",
            gate.guard(new DeleteAllocation(Credit.Kind.OVERPAYMENT)))
        .on(
            "DELETE",
            api + "/Prepayments/{id}/Allocations/{allocationId}",
            gate.guard(new DeleteAllocation(Credit.Kind.PREPAYMENT)));
    try {
      front.start(requestedPort);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on port " + requestedPort, e);
    }
    baseUrl = URI.create("http://localhost:" + front.port());
    identity.issuer(baseUrl.toString());
    return this;
  }

  public URI baseUrl() {
    return baseUrl;
  }

  /**
   * Serves another route on the simulator's port, before {@link #start()}: how the control API
   * ({@code control.ControlApi}) is switched on, so the core never depends on it.
   */
  public XeroSimulator mount(String method, String template, Route route) {
    if (baseUrl != null) {
      throw new IllegalStateException("mount routes before start()");
    }
    front.on(method, template, route);
    return this;
  }

  /**
   * Answers what no mounted route takes under {@code prefix}, before {@link #start()}: the control
   * API's own 404 and 405.
   */
  public XeroSimulator mountOtherwise(String prefix, HttpFront.Miss miss) {
    if (baseUrl != null) {
      throw new IllegalStateException("mount routes before start()");
    }
    front.otherwise(prefix, miss);
    return this;
  }

  /** Accepts this bearer token for reads of any organisation, outside limits and counters. */
  public void readerToken(String token) {
    gate.reader(new ReaderPass(token));
  }

  public SimClock clock() {
    return clock;
  }

  public SimOrganisation createOrganisation(String name) {
    String tenantId = UUID.randomUUID().toString();
    Ledger ledger = new Ledger(tenantId, name, shortCode(), clock, this::onChange);
    SimOrganisation org = new SimOrganisation(ledger);
    organisations.put(tenantId, org);
    return org;
  }

  public SimOrganisation organisation(String tenantId) {
    SimOrganisation org = organisations.get(tenantId.toLowerCase(Locale.ROOT));
    if (org == null) {
      throw new IllegalArgumentException("no organisation " + tenantId);
    }
    return org;
  }

  public List<SimOrganisation> organisations() {
    return List.copyOf(organisations.values());
  }

  /**
   * As if a user consented: connects the tenants to the app and returns the tokens Xero would
   * issue.
   */
  public TokenSet grant(String clientId, String... tenantIds) {
    for (String t : tenantIds) {
      organisation(t);
    }
    IdentityStore.Issued i = identity.consent(clientId, null, List.of(tenantIds), null);
    return new TokenSet(i.accessToken(), i.refreshToken(), i.accessExpiresAt(), i.authEventId());
  }

  /**
   * As if the organisation's admin removed the app in Xero: every connection of the app to the
   * tenant is deleted, so its tokens get 403 for that tenant. Returns how many connections went.
   */
  public int disconnect(String clientId, String tenantId) {
    int removed = 0;
    for (IdentityStore.Authorisation auth : identity.authorisations()) {
      if (!auth.clientId().equals(clientId)) {
        continue;
      }
      for (IdentityStore.Connection c : auth.connections()) {
        if (c.tenantId().equalsIgnoreCase(tenantId) && identity.disconnect(auth, c.id())) {
          removed++;
        }
      }
    }
    return removed;
  }

  /** Registers another OAuth app at runtime (null secret: PKCE client). */
  public void app(String clientId, String clientSecret) {
    identity.registerApp(clientId, clientSecret, clientId);
  }

  /** Registers a redirect URI of an app; once an app has one, others are refused. */
  public void redirectUri(String clientId, URI uri) {
    identity.registerRedirectUri(clientId, uri.toString());
  }

  public void webhookUrl(URI url) {
    webhooks.url(url);
  }

  public void webhookKey(String key) {
    webhooks.key(key);
  }

  /** Intent-to-receive check against the current webhook URL; deliveries stop if it fails. */
  public boolean verifyWebhookSubscription() {
    return webhooks.verifyIntentToReceive();
  }

  public WebhookDispatcher.Status webhookStatus() {
    return webhooks.status();
  }

  /** Waits until every raised event has been delivered (or failed and been scheduled for retry). */
  public boolean awaitDeliveriesIdle(Duration timeout) {
    try {
      return webhooks.awaitIdle(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Every POST made to the webhook URL, oldest first, with the status received. */
  public List<Delivery> deliveries() {
    return webhooks.deliveries();
  }

  public int pendingWebhookRetries() {
    return webhooks.pendingRetries();
  }

  public Faults faults() {
    return faults;
  }

  /**
   * Every write the accounting API received past authentication, oldest first: the truth a test
   * uses to tell committed writes, replays and lost responses apart.
   */
  public List<dev.xerosync.infra.xero.accounting.WriteAttempt> writeAttempts() {
    return gate.writes();
  }

  /** Refresh-token grants the token endpoint received, refused ones included. */
  public int tokenRefreshRequests() {
    return identity.refreshRequests();
  }

  /** Every token and code the identity service ever issued, for tests that prove none leaked. */
  public java.util.Set<String> issuedTokenValues() {
    return identity.issuedValues();
  }

  /** Refresh-token grants refused with invalid_grant. */
  public int tokenRefreshRefusals() {
    return identity.refreshRefusals();
  }

  /** Accounting API calls received naming this tenant in xero-tenant-id (admitted or not). */
  public int callCount(String tenantId) {
    return gate.callCount(tenantId.toLowerCase(Locale.ROOT));
  }

  /** The path and query of the tenant's latest accounting GETs (the last 200), oldest first. */
  public List<String> reads(String tenantId) {
    return gate.reads(tenantId.toLowerCase(Locale.ROOT));
  }

  /** 429 responses the accounting API sent to this app. */
  public int tooManyRequests(String clientId) {
    return gate.tooManyRequests(clientId);
  }

  /** Accounting API response bytes as sent (gzipped where asked), per tenant and endpoint. */
  public dev.xerosync.infra.xero.http.EgressMeter egress() {
    return front.egress();
  }

  /**
   * Most calls this app had in flight for the tenant at once, and most it asked for in any rolling
   * minute.
   */
  public RateLimiter.Peaks peaks(String clientId, String tenantId) {
    return limiter.peaks(clientId, tenantId.toLowerCase(Locale.ROOT));
  }

  public void dailyCallLimit(int limit) {
    limiter.dailyLimit(limit);
  }

  @Override
  public void close() {
    front.close();
    webhooks.close();
  }

  // ---- wiring ----

  Ledger ledgerOrNull(String tenantId) {
    SimOrganisation org = organisations.get(tenantId);
    return org == null ? null : org.ledger();
  }

  private String tenantName(String tenantId) {
    SimOrganisation org = organisations.get(tenantId);
    return org == null ? "" : org.name();
  }

  private Map<String, String> organisationNames() {
    Map<String, String> m = new LinkedHashMap<>();
    List<SimOrganisation> orgs = new ArrayList<>(organisations.values());
    orgs.sort(java.util.Comparator.comparing(SimOrganisation::name));
    orgs.forEach(o -> m.put(o.tenantId(), o.name()));
    return m;
  }

  private void onChange(
      String tenantId, String category, String eventType, String resourceId, Instant at) {
    URI base = baseUrl;
    String collection =
        switch (category) {
          case "INVOICE" -> "Invoices";
          case "CREDITNOTE" -> "CreditNotes";
          default -> "Contacts";
        };
    String root = base == null ? "https://api.xero.com" : base.toString();
    webhooks.publish(
        new WebhookEvent(
            root + "/api.xro/2.0/" + collection + "/" + resourceId,
            resourceId,
            at,
            eventType,
            category,
            tenantId));
  }

  private String shortCode() {
    String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    StringBuilder sb = new StringBuilder("!");
    for (int i = 0; i < 5; i++) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }
}
