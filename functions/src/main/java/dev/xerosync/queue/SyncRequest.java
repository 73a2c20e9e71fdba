package dev.xerosync.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.xerosync.common.Json;
import java.io.IOException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the worker is asked to bring up to date for one tenant: the message body on the sync queue.
 * The webhook receiver already folds a delivery's events into one request per tenant.
 */
public record SyncRequest(
    String tenantId,
    Kind kind,
    List<String> invoiceIds,
    List<String> contactIds,
    @Nullable String correlationId,
    @Nullable String step,
    @Nullable Long notBeforeMs,
    List<String> creditNoteIds,
    @Nullable Long invoicesChangedUpToMs) {

  /**
   * CHANGES: the ids a webhook named. INITIAL: the next page of the initial sync. RECONCILE: a
   * sweep.
   */
  public enum Kind {
    CHANGES,
    INITIAL,
    RECONCILE
  }

  public SyncRequest {
    kind = kind == null ? Kind.CHANGES : kind;
    invoiceIds = invoiceIds == null ? List.of() : List.copyOf(invoiceIds);
    contactIds = contactIds == null ? List.of() : List.copyOf(contactIds);
    creditNoteIds = creditNoteIds == null ? List.of() : List.copyOf(creditNoteIds);
  }

  public SyncRequest(
      String tenantId,
      Kind kind,
      List<String> invoiceIds,
      List<String> contactIds,
      @Nullable String correlationId,
      @Nullable String step,
      @Nullable Long notBeforeMs) {
    this(tenantId, kind, invoiceIds, contactIds, correlationId, step, notBeforeMs, List.of(), null);
  }

  public SyncRequest(
      String tenantId,
      List<String> invoiceIds,
      List<String> contactIds,
      @Nullable String correlationId) {
    this(tenantId, Kind.CHANGES, invoiceIds, contactIds, correlationId, null, null);
  }

  /** The same request also naming credit notes (from CREDITNOTE webhook events). */
  public SyncRequest withCreditNotes(List<String> ids) {
    return new SyncRequest(
        tenantId,
        kind,
        invoiceIds,
        contactIds,
        correlationId,
        step,
        notBeforeMs,
        ids,
        invoicesChangedUpToMs);
  }

  /**
   * The same request, saying that every invoice change it names happened at or before {@code at}
   * (the latest eventDateUtc of its INVOICE events). An invoice already stored at least that new
   * needs no fetch: typically our own write-back, stored from Xero's answer, coming back as a
   * webhook.
   */
  public SyncRequest withInvoicesChangedUpTo(java.time.@Nullable Instant at) {
    return new SyncRequest(
        tenantId,
        kind,
        invoiceIds,
        contactIds,
        correlationId,
        step,
        notBeforeMs,
        creditNoteIds,
        at == null ? null : at.toEpochMilli());
  }

  /** When the latest invoice change this request names happened, if the webhook said. */
  public java.util.Optional<java.time.Instant> invoicesChangedUpTo() {
    return java.util.Optional.ofNullable(invoicesChangedUpToMs)
        .map(java.time.Instant::ofEpochMilli);
  }

  public static SyncRequest initialStep(
      String tenantId, String step, @Nullable String correlationId) {
    return new SyncRequest(tenantId, Kind.INITIAL, List.of(), List.of(), correlationId, step, null);
  }

  /**
   * A sweep; {@code window} (e.g. the hour it was scheduled for) keeps two sweeps apart in FIFO
   * deduplication.
   */
  public static SyncRequest reconcile(
      String tenantId, String window, @Nullable String correlationId) {
    return new SyncRequest(
        tenantId, Kind.RECONCILE, List.of(), List.of(), correlationId, window, null);
  }

  /**
   * The same request, to be run no earlier than {@code when}; unique per deferral, so never
   * deduplicated away.
   */
  public SyncRequest notBefore(java.time.Instant when) {
    return new SyncRequest(
        tenantId,
        kind,
        invoiceIds,
        contactIds,
        correlationId,
        step,
        when.toEpochMilli(),
        creditNoteIds,
        invoicesChangedUpToMs);
  }

  /**
   * What makes two requests the same for FIFO deduplication. A CHANGES request includes who asked
   * (its correlation id): two deliveries naming the same ids are two changes, and both must run.
   * The other kinds are the same work whoever asked.
   */
  public String deduplicationKey() {
    if (kind == Kind.CHANGES) {
      return tenantId
          + "|"
          + invoiceIds
          + "|"
          + contactIds
          + "|"
          + (creditNoteIds.isEmpty() ? "" : creditNoteIds + "|")
          + correlationId
          + "|"
          + notBeforeMs;
    }
    return tenantId + "|" + kind + "|" + step + "|" + notBeforeMs;
  }

  public String toJson() {
    try {
      return Json.MAPPER.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static SyncRequest fromJson(String body) throws InvalidSyncRequestException {
    SyncRequest request;
    try {
      request = Json.MAPPER.readValue(body, SyncRequest.class);
    } catch (IOException | RuntimeException e) {
      throw new InvalidSyncRequestException("message body is not a sync request");
    }
    if (request.tenantId() == null || request.tenantId().isBlank()) {
      throw new InvalidSyncRequestException("sync request has no tenantId");
    }
    return request;
  }

  public static final class InvalidSyncRequestException extends Exception {
    public InvalidSyncRequestException(String message) {
      super(message);
    }
  }
}
