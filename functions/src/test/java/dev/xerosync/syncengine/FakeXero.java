package dev.xerosync.syncengine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.tokens.TenantXero;
import dev.xerosync.tokens.TokenRefreshException;
import dev.xerosync.xero.XeroAllocation;
import dev.xerosync.xero.XeroApiException;
import dev.xerosync.xero.XeroContact;
import dev.xerosync.xero.XeroCredit;
import dev.xerosync.xero.XeroInvoice;
import dev.xerosync.xero.XeroOrganisation;
import dev.xerosync.xero.XeroPage;
import dev.xerosync.xero.XeroReads;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Xero's reads in memory: what a tenant holds, each call recorded with the token it carried, and
 * HTTP statuses queued to fail the next calls with. Its tokens are {@link #tokens}: "token-1", and
 * after a refresh "token-2".
 */
final class FakeXero implements XeroReads {
  static final int IDS_PER_CALL = 3;

  /** Invoices dated on or after the initial sync's cutoff (or any, for reads with no filter). */
  final List<XeroInvoice> invoices = new ArrayList<>();

  /** Invoices an initial sync reads in its OLDER phase. */
  final List<XeroInvoice> older = new ArrayList<>();

  final List<XeroContact> contacts = new ArrayList<>();
  final List<JsonNode> payments = new ArrayList<>();
  final Map<String, XeroCredit> credits = new LinkedHashMap<>();

  /** Each call made, e.g. "invoicesModifiedSince since=... where=... page=1". */
  final List<String> calls = new ArrayList<>();

  /** The token each call carried. */
  final List<String> tokensUsed = new ArrayList<>();

  /** Statuses the next calls answer with, one each (200: as normal); then all answer normally. */
  final Deque<Integer> failures = new ArrayDeque<>();

  final Tokens tokens = new Tokens();

  /** Refresh once on 401 takes a new token from here. */
  static final class Tokens implements TenantXero.Tokens {
    int refreshes;
    TokenRefreshException refusal;

    @Override
    public String accessToken(String tenantId) throws TokenRefreshException {
      if (refusal != null) {
        throw refusal;
      }
      return "token-" + (refreshes + 1);
    }

    @Override
    public String replaceRejected(String tenantId, String rejectedToken) {
      refreshes++;
      return "token-" + (refreshes + 1);
    }
  }

  TenantReads reads(List<Duration> slept) {
    return new TenantReads(this, tokens, slept::add);
  }

  long calls(String prefix) {
    return calls.stream().filter(c -> c.startsWith(prefix)).count();
  }

  private void call(String what, String token) throws XeroApiException {
    calls.add(what);
    tokensUsed.add(token);
    Integer status = failures.poll();
    if (status == null || status == 200) {
      return;
    }
    String problem =
        switch (status) {
          case 401 -> "TokenExpired";
          case 429 -> "minute";
          default -> null;
        };
    Duration retryAfter = status == 429 ? Duration.ofSeconds(7) : null;
    throw new XeroApiException(status, problem, retryAfter, "Xero answered " + status);
  }

  @Override
  public List<XeroInvoice> invoicesByIds(String tenantId, String token, Collection<String> ids)
      throws XeroApiException {
    call("invoicesByIds " + ids, token);
    return invoices.stream().filter(i -> ids.contains(i.invoiceId())).toList();
  }

  @Override
  public XeroPage<XeroInvoice> invoicesModifiedSince(
      String tenantId, String token, Instant since, String where, int page, int pageSize)
      throws XeroApiException {
    call("invoicesModifiedSince since=" + since + " where=" + where + " page=" + page, token);
    List<XeroInvoice> from = where != null && where.startsWith("Date<") ? older : invoices;
    return page(from, XeroInvoice::updatedDateUtc, since, page, pageSize);
  }

  @Override
  public XeroPage<JsonNode> paymentsModifiedSince(
      String tenantId, String token, Instant since, int page) throws XeroApiException {
    call("paymentsModifiedSince since=" + since + " page=" + page, token);
    return new XeroPage<>(page == 1 ? payments : List.of(), page, 1, payments.size());
  }

  @Override
  public Optional<XeroCredit> credit(
      String tenantId, String token, XeroAllocation.Kind kind, String creditId)
      throws XeroApiException {
    call("credit " + kind + " " + creditId, token);
    return Optional.ofNullable(credits.get(creditId)).filter(c -> c.kind() == kind);
  }

  @Override
  public XeroPage<XeroCredit> creditsModifiedSince(
      String tenantId, String token, XeroAllocation.Kind kind, Instant since, int page)
      throws XeroApiException {
    call("creditsModifiedSince " + kind + " since=" + since + " page=" + page, token);
    List<XeroCredit> ofKind = credits.values().stream().filter(c -> c.kind() == kind).toList();
    return page(ofKind, XeroCredit::updatedDateUtc, since, page, FakeXero.PAGE);
  }

  @Override
  public List<XeroContact> contactsByIds(String tenantId, String token, Collection<String> ids)
      throws XeroApiException {
    call("contactsByIds " + ids, token);
    return contacts.stream().filter(c -> ids.contains(c.contactId())).toList();
  }

  @Override
  public XeroPage<XeroContact> contactsModifiedSince(
      String tenantId, String token, Instant since, int page, int pageSize)
      throws XeroApiException {
    call(
        "contactsModifiedSince since="
            + since
            + " page="
            + page
            + (pageSize == FakeXero.PAGE ? "" : " pageSize=" + pageSize),
        token);
    return page(contacts, XeroContact::updatedDateUtc, since, page, pageSize);
  }

  @Override
  public XeroOrganisation organisation(String tenantId, String token) throws XeroApiException {
    call("organisation", token);
    return new XeroOrganisation("Demo Org", "!abc", "UTC", ZoneOffset.UTC, "NZD");
  }

  @Override
  public List<List<String>> invoiceIdCalls(Collection<String> ids) {
    return chunks(ids);
  }

  @Override
  public List<List<String>> contactIdCalls(Collection<String> ids) {
    return chunks(ids);
  }

  private static final int PAGE = InvoiceSync.PAGE_SIZE;

  private static List<List<String>> chunks(Collection<String> ids) {
    List<String> all = List.copyOf(ids);
    List<List<String>> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i += IDS_PER_CALL) {
      out.add(all.subList(i, Math.min(all.size(), i + IDS_PER_CALL)));
    }
    return out;
  }

  /** Xero's If-Modified-Since paging: modified at or after {@code since}, oldest first. */
  private static <T> XeroPage<T> page(
      List<T> all, Function<T, Instant> updated, Instant since, int page, int pageSize) {
    List<T> matching =
        all.stream()
            .filter(t -> since == null || !updated.apply(t).isBefore(since))
            .sorted(Comparator.comparing(updated))
            .toList();
    int from = Math.min(matching.size(), (page - 1) * pageSize);
    int to = Math.min(matching.size(), from + pageSize);
    return new XeroPage<>(matching.subList(from, to), page, null, matching.size());
  }

  static XeroInvoice invoice(String id, Instant updated) {
    BigDecimal total = new BigDecimal("100.00");
    return new XeroInvoice(
        id,
        "INV-" + id,
        null,
        "ACCREC",
        "AUTHORISED",
        "contact-1",
        "Contact",
        LocalDate.of(2026, 1, 5),
        LocalDate.of(2026, 2, 5),
        "NZD",
        total,
        BigDecimal.ZERO,
        total,
        total,
        BigDecimal.ZERO,
        BigDecimal.ZERO,
        null,
        updated,
        List.of(),
        List.of());
  }

  static XeroContact contact(String id, Instant updated) {
    return new XeroContact(id, "Customer " + id, "ACTIVE", true, false, null, updated);
  }
}
