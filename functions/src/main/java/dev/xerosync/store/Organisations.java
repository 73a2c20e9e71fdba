package dev.xerosync.store;

import dev.xerosync.common.Log;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The Xero organisation behind a tenant (short code for deep links, timezone for "today"), written
 * by the sync as {@code pk = T#{tenant}, sk = ORGANISATION}. Cached per container for a minute: it
 * changes rarely, and every view needs it, so most pages spend no request on it.
 */
public final class Organisations {
  private static final Log LOG = Log.of(Organisations.class);
  static final Duration TTL = Duration.ofMinutes(1);

  public record Organisation(
      String tenantId,
      @Nullable String name,
      @Nullable String shortCode,
      ZoneId timezone,
      @Nullable String baseCurrency) {
    /**
     * The organisation's calendar date now: what "due today" and "overdue" are measured against.
     */
    public LocalDate today(Clock clock) {
      return LocalDate.ofInstant(clock.instant(), timezone);
    }

    /**
     * A deep link that opens the contact in Xero, in this organisation (Xero's "new UI view"
     * format: https://developer.xero.com/documentation/api-guides/deep-link-xero); null while the
     * short code is unknown.
     */
    public @Nullable String contactUrl(String contactId) {
      if (shortCode == null) {
        return null;
      }
      return "https://go.xero.com/organisationlogin/default.aspx?shortcode="
          + shortCode
          + "&redirecturl=/Contacts/View/"
          + contactId;
    }

    /**
     * A deep link that opens the invoice in Xero, in this organisation; null while the short code
     * is unknown.
     */
    public @Nullable String invoiceUrl(@Nullable String invoiceId, @Nullable String type) {
      if (shortCode == null || invoiceId == null) {
        return null;
      }
      String page =
          "ACCPAY".equals(type)
              ? "/AccountsPayable/View.aspx?InvoiceID="
              : "/AccountsReceivable/View.aspx?InvoiceID=";
      return "https://go.xero.com/organisationlogin/default.aspx?shortcode="
          + shortCode
          + "&redirecturl="
          + page
          + invoiceId;
    }

    /**
     * A deep link that opens the credit note in Xero; null while the short code is unknown. Xero's
     * own MCP server links credit notes of either type this way (XeroAPI/xero-mcp-server,
     * src/consts/deeplinks.ts).
     */
    public @Nullable String creditNoteUrl(@Nullable String creditNoteId) {
      if (shortCode == null || creditNoteId == null) {
        return null;
      }
      return "https://go.xero.com/organisationlogin/default.aspx?shortcode="
          + shortCode
          + "&redirecturl=/AccountsPayable/ViewCreditNote.aspx?creditNoteID="
          + creditNoteId;
    }
  }

  private record Cached(Organisation organisation, Instant expiresAt) {}

  private final DynamoDbClient dynamo;
  private final String table;
  private final Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  private final java.util.Set<String> warned = ConcurrentHashMap.newKeySet();

  public Organisations(DynamoDbClient dynamo, String table, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.clock = clock;
  }

  /**
   * The tenant's organisation; until the sync has stored it, UTC and no deep links (and a warning),
   * read again on every call: an invoice written just after the initial sync stores it must key its
   * due date in the organisation's timezone, not in a cached UTC ({@link DueDateIndex}).
   */
  public Organisation get(String tenantId) {
    Instant now = clock.instant();
    Cached cached = cache.get(tenantId);
    if (cached != null && now.isBefore(cached.expiresAt())) {
      return cached.organisation();
    }
    var response =
        dynamo.getItem(
            r ->
                r.tableName(table)
                    .key(Keys.key(Keys.organisationPk(tenantId), Keys.ORGANISATION_SK)));
    Organisation org;
    if (response.hasItem() && !response.item().isEmpty()) {
      var item = response.item();
      org =
          new Organisation(
              tenantId,
              ItemCodec.str(item, "name"),
              ItemCodec.str(item, "shortCode"),
              zone(tenantId, ItemCodec.str(item, "timezone")),
              ItemCodec.str(item, "baseCurrency"));
    } else {
      if (warned.add(tenantId)) {
        LOG.warn("organisation not synced yet; using UTC and no deep links", "tenantId", tenantId);
      }
      return new Organisation(tenantId, null, null, ZoneOffset.UTC, null);
    }
    cache.put(tenantId, new Cached(org, now.plus(TTL)));
    return org;
  }

  private static ZoneId zone(String tenantId, @Nullable String id) {
    if (id == null) {
      return ZoneOffset.UTC;
    }
    try {
      return ZoneId.of(id);
    } catch (DateTimeException e) {
      LOG.warn(
          "organisation timezone is not an IANA zone id; using UTC",
          "tenantId",
          tenantId,
          "timezone",
          id);
      return ZoneOffset.UTC;
    }
  }
}
