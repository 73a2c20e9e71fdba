package dev.xerosync.xero;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The Accounting API reads the sync makes, each with the tenant's access token: {@link XeroApi}
 * sends them over HTTP, and a unit test hands in a fake.
 */
public interface XeroReads {
  /** Fetches the invoices with these IDs; Xero returns each with its payments and allocations. */
  List<XeroInvoice> invoicesByIds(String tenantId, String accessToken, Collection<String> ids)
      throws XeroApiException;

  /** One page of invoices modified since the instant (null: all), oldest change first. */
  XeroPage<XeroInvoice> invoicesModifiedSince(
      String tenantId,
      String accessToken,
      @Nullable Instant modifiedSince,
      @Nullable String where,
      int page,
      int pageSize)
      throws XeroApiException;

  /** One page of payments modified since the instant (created, or deleted by a reversal). */
  XeroPage<JsonNode> paymentsModifiedSince(
      String tenantId, String accessToken, @Nullable Instant modifiedSince, int page)
      throws XeroApiException;

  /** One credit of a kind with its allocations; empty when Xero no longer has it. */
  Optional<XeroCredit> credit(
      String tenantId, String accessToken, XeroAllocation.Kind kind, String creditId)
      throws XeroApiException;

  /** One page of credits of a kind modified since the instant, oldest change first. */
  XeroPage<XeroCredit> creditsModifiedSince(
      String tenantId,
      String accessToken,
      XeroAllocation.Kind kind,
      @Nullable Instant modifiedSince,
      int page)
      throws XeroApiException;

  List<XeroContact> contactsByIds(String tenantId, String accessToken, Collection<String> ids)
      throws XeroApiException;

  /** One page of {@link XeroApi#MAX_PAGE_SIZE} contacts modified since the instant. */
  default XeroPage<XeroContact> contactsModifiedSince(
      String tenantId, String accessToken, @Nullable Instant modifiedSince, int page)
      throws XeroApiException {
    return contactsModifiedSince(tenantId, accessToken, modifiedSince, page, XeroApi.MAX_PAGE_SIZE);
  }

  /** One page of contacts (archived ones included) modified since the instant, oldest first. */
  XeroPage<XeroContact> contactsModifiedSince(
      String tenantId, String accessToken, @Nullable Instant modifiedSince, int page, int pageSize)
      throws XeroApiException;

  XeroOrganisation organisation(String tenantId, String accessToken) throws XeroApiException;

  /**
   * Calls the tenant could make now within its (and the app's) rolling minute; no call is made. A
   * fake that keeps no count has none to spare, so the sync paces as if the minute were short.
   */
  default int callRoom(String tenantId) {
    return 0;
  }

  /** The invoice ids cut as {@link #invoicesByIds} sends them, one list per call. */
  List<List<String>> invoiceIdCalls(Collection<String> invoiceIds);

  /** The contact ids cut as {@link #contactsByIds} sends them, one list per call. */
  List<List<String>> contactIdCalls(Collection<String> contactIds);
}
