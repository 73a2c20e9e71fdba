package dev.xerosync.syncengine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.common.Log;
import dev.xerosync.store.Connection;
import dev.xerosync.store.ConnectionStatus;
import dev.xerosync.store.UpsertOutcome;
import dev.xerosync.xero.PaymentTarget;
import dev.xerosync.xero.XeroAllocation;
import dev.xerosync.xero.XeroContact;
import dev.xerosync.xero.XeroDates;
import dev.xerosync.xero.XeroInvoice;
import dev.xerosync.xero.XeroPage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A sweep for what webhooks missed: invoices, payments, credit notes, overpayments, prepayments and
 * contacts modified since the last sweep's watermark (less an overlap). When nothing changed it
 * costs six calls.
 */
final class Reconciliation {
  private static final Log LOG = Log.of(Reconciliation.class);
  private static final int PAGE_SIZE = InvoiceSync.PAGE_SIZE;

  /** Reconciliation reads back this far before its watermark: Xero's timestamps can land late. */
  static final Duration OVERLAP = Duration.ofMinutes(5);

  private final TenantReads reads;
  private final InvoiceSync invoices;
  private final CreditSync credits;
  private final SyncRecords.Contacts contacts;
  private final SyncRecords.Tenants connections;
  private final Clock clock;

  Reconciliation(
      TenantReads reads,
      InvoiceSync invoices,
      CreditSync credits,
      SyncRecords.Contacts contacts,
      SyncRecords.Tenants connections,
      Clock clock) {
    this.reads = reads;
    this.invoices = invoices;
    this.credits = credits;
    this.contacts = contacts;
    this.connections = connections;
    this.clock = clock;
  }

  /** One sweep of a connected (or rate-limited) tenant; the watermarks move only at its end. */
  void sweep(String tenantId, @Nullable String correlationId) throws SyncFailure {
    Connection c = connections.get(tenantId).orElse(null);
    if (c == null
        || (c.status() != ConnectionStatus.CONNECTED
            && c.status() != ConnectionStatus.RATE_LIMITED)) {
      return;
    }
    Instant now = clock.instant();
    Instant invoicesSince = orDefault(c.invoicesSince(), now);
    SeenInvoices seen = new SeenInvoices(invoicesSince);
    Map<UpsertOutcome, Integer> invoiceOutcomes = new EnumMap<>(UpsertOutcome.class);
    invoices.modifiedSince(tenantId, invoicesSince.minus(OVERLAP), invoiceOutcomes, seen);

    // Xero sends no payment webhooks: a payment made or reversed shows here, and its invoice is
    // re-read. A payment of a credit (a refund) names the credit, never an invoice: that credit is
    // read again instead.
    Instant paymentsSince = orDefault(c.paymentsSince(), now);
    Instant maxPayment = paymentsSince;
    Set<String> touched = new LinkedHashSet<>();
    Map<XeroAllocation.Kind, Set<String>> refunded = new EnumMap<>(XeroAllocation.Kind.class);
    for (int p = 1; ; p++) {
      int pageNo = p;
      XeroPage<JsonNode> page =
          reads.call(
              tenantId,
              (x, token) ->
                  x.paymentsModifiedSince(tenantId, token, paymentsSince.minus(OVERLAP), pageNo));
      for (JsonNode payment : page.items()) {
        PaymentTarget target = PaymentTarget.of(payment);
        if (target != null && target.isInvoice() && !seen.ids.contains(target.id())) {
          touched.add(target.id());
        } else if (target != null && !target.isInvoice()) {
          refunded
              .computeIfAbsent(target.creditKind(), k -> new LinkedHashSet<>())
              .add(target.id());
        }
        Instant updated = XeroDates.instant(payment.path("UpdatedDateUTC").asText(null));
        maxPayment = updated == null ? maxPayment : max(maxPayment, updated);
      }
      if (page.items().size() < PAGE_SIZE) {
        break;
      }
    }
    if (!touched.isEmpty()) {
      invoices.reread(tenantId, touched);
    }
    Set<String> invoicesRead = new LinkedHashSet<>(seen.ids);
    invoicesRead.addAll(touched);
    Set<String> creditsRead = credits.sweep(tenantId, now, invoicesRead, OVERLAP);
    refunded.values().forEach(ids -> ids.removeAll(creditsRead));
    refunded.values().removeIf(Set::isEmpty);
    if (!refunded.isEmpty()) {
      credits.byIds(tenantId, refunded);
    }

    Instant contactsSince = orDefault(c.contactsSince(), now);
    Instant maxContact = contactsSince;
    for (int p = 1; ; p++) {
      int pageNo = p;
      XeroPage<XeroContact> page =
          reads.call(
              tenantId,
              (x, token) ->
                  x.contactsModifiedSince(tenantId, token, contactsSince.minus(OVERLAP), pageNo));
      for (XeroContact contact : page.items()) {
        contacts.upsert(tenantId, contact);
        maxContact =
            contact.updatedDateUtc() == null
                ? maxContact
                : max(maxContact, contact.updatedDateUtc());
      }
      if (page.items().size() < PAGE_SIZE) {
        break;
      }
    }

    Instant orgFetched = c.organisationFetchedAt();
    if (orgFetched == null || orgFetched.isBefore(now.minus(Duration.ofDays(1)))) {
      connections.putOrganisation(
          tenantId, reads.call(tenantId, (x, token) -> x.organisation(tenantId, token)));
      orgFetched = now;
    }
    connections.saveWatermarks(tenantId, seen.newest, maxPayment, maxContact, orgFetched, now);
    // Clean: every invoice the sweep read was already stored as Xero has it (webhooks brought it),
    // and no payment or credit needed reading (those have no webhooks of their own). Contacts
    // decide nothing here: they hold no money.
    boolean clean =
        invoiceOutcomes.getOrDefault(UpsertOutcome.CREATED, 0) == 0
            && invoiceOutcomes.getOrDefault(UpsertOutcome.UPDATED, 0) == 0
            && touched.isEmpty()
            && creditsRead.isEmpty()
            && refunded.isEmpty();
    connections.recordSweep(tenantId, now, clean);
    if (c.status() == ConnectionStatus.RATE_LIMITED) {
      connections.setStatus(tenantId, ConnectionStatus.CONNECTED, null, null);
    }
    LOG.info(
        "reconciled",
        "tenantId",
        tenantId,
        "invoicesChanged",
        seen.ids.size(),
        "paymentInvoicesReread",
        touched.size(),
        "clean",
        clean,
        "correlationId",
        correlationId);
  }

  /** The invoices the sweep read, and the newest of their changes and the old watermark. */
  private static final class SeenInvoices implements InvoiceSync.StoredPage {
    final Set<String> ids = new LinkedHashSet<>();
    Instant newest;

    SeenInvoices(Instant watermark) {
      this.newest = watermark;
    }

    @Override
    public void accept(List<XeroInvoice> page) {
      for (XeroInvoice i : page) {
        ids.add(i.invoiceId());
        // Undated, the store refused it (set aside): it moves no watermark, as for contacts.
        Instant updated = i.updatedDateUtc();
        newest = updated == null ? newest : max(newest, updated);
      }
    }
  }

  private static Instant orDefault(@Nullable Instant value, Instant fallback) {
    return value == null ? fallback.minus(Duration.ofDays(1)) : value;
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
