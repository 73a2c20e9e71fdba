package dev.xerosync.store;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Every key of the single table, and the one place its primary keys are built; see
 * functions/DATA_MODEL.md for the access pattern each serves.
 */
public final class Keys {
  /** The table's partition and sort key attributes. */
  public static final String PK = "pk";

  public static final String SK = "sk";

  public static final String INVOICE_SK = "INVOICE";

  /** Beside an invoice: its online invoice link, as Xero gave it once. */
  public static final String ONLINE_INVOICE_SK = "ONLINEINVOICE";

  public static final String CONTACT_SK = "CONTACT";
  public static final String TOTALS_SK_PREFIX = "TOTALS#";

  public static final String BY_CONTACT_DATE = "ByContactDate";
  public static final String BY_CONTACT_VIEW = "ByContactView";
  public static final String BY_NUMBER = "ByNumber";

  /** Sparse: unpaid invoices by when they become overdue ({@link DueDateIndex}). */
  public static final String BY_OVERDUE_AT = "ByOverdueAt";

  private Keys() {}

  /** The primary key of the item {@code pk}, {@code sk}: for a get, update or delete. */
  public static Map<String, AttributeValue> key(String pk, String sk) {
    return Map.of(PK, AttributeValue.fromS(pk), SK, AttributeValue.fromS(sk));
  }

  /** The primary key of an item read back (a page's last item, an item to delete). */
  public static Map<String, AttributeValue> keyOf(Map<String, AttributeValue> item) {
    return Map.of(PK, item.get(PK), SK, item.get(SK));
  }

  /** A new item holding only its primary key, for the caller to add attributes to. */
  public static Map<String, AttributeValue> item(String pk, String sk) {
    return new HashMap<>(key(pk, sk));
  }

  /** A whole item: its primary key and {@code attributes}. */
  public static Map<String, AttributeValue> item(
      String pk, String sk, Map<String, AttributeValue> attributes) {
    Map<String, AttributeValue> item = new HashMap<>(attributes);
    item.putAll(key(pk, sk));
    return item;
  }

  public static String invoicePk(String tenantId, String invoiceId) {
    return "T#" + tenantId + "#INV#" + invoiceId;
  }

  public static final String CREDIT_SK = "CREDIT";

  public static String creditPk(String tenantId, String creditId) {
    return "T#" + tenantId + "#CR#" + creditId;
  }

  /** Where the credit sweeps keep their watermarks, one item per kind of credit. */
  public static String creditWatermarkPk(String tenantId) {
    return "T#" + tenantId + "#CRWM";
  }

  public static String contactPk(String tenantId, String contactId) {
    return "T#" + tenantId + "#C#" + contactId;
  }

  public static String contactViewPk(String tenantId, String contactId, InvoiceBucket bucket) {
    return contactPk(tenantId, contactId) + "#B#" + bucket.name();
  }

  public static String contactNumberPk(String tenantId, String contactId) {
    return contactPk(tenantId, contactId) + "#NUM";
  }

  /**
   * A contact's credit notes in the listing indexes: partitions of their own beside its invoices',
   * so a listing without credit notes reads exactly what it read before they were indexed.
   */
  public static String creditNotesPk(String tenantId, String contactId) {
    return contactPk(tenantId, contactId) + "#CN";
  }

  public static String creditNoteViewPk(String tenantId, String contactId, InvoiceBucket bucket) {
    return creditNotesPk(tenantId, contactId) + "#B#" + bucket.name();
  }

  public static String creditNoteNumberPk(String tenantId, String contactId) {
    return creditNotesPk(tenantId, contactId) + "#NUM";
  }

  public static String totalsSk(String type, String currency) {
    return TOTALS_SK_PREFIX + type + "#" + currency;
  }

  // Query API: organisation, records (links and pins), API keys and the tenant's aging ledger.
  public static final String ORGANISATION_SK = "ORGANISATION";
  public static final String LINK_SK_PREFIX = "LINK#C#";
  public static final String PIN_SK_PREFIX = "PIN#";
  public static final String API_KEY_SK = "APIKEY";
  public static final String API_KEY_ENTRY_SK_PREFIX = "KEY#";

  public static String organisationPk(String tenantId) {
    return tenantPk(tenantId);
  }

  public static String recordPk(String tenantId, String recordType, String recordId) {
    return "T#" + tenantId + "#R#" + recordType + "#" + recordId;
  }

  /** Beside a record's links: how many it has, so a link past the limit is refused. */
  public static final String LINK_COUNT_SK = "COUNT#LINKS";

  public static String linkSk(String contactId) {
    return LINK_SK_PREFIX + contactId;
  }

  public static String pinSk(String invoiceId) {
    return PIN_SK_PREFIX + invoiceId;
  }

  /**
   * Not tenant-prefixed on purpose: a presented key is looked up by its hash before the tenant is
   * known.
   */
  public static String apiKeyPk(String keyHash) {
    return "APIKEY#" + keyHash;
  }

  // The invoice panel: a short-lived token's grant, looked up by the token's hash, and the
  // tenant's allowed origins.
  public static final String PANEL_TOKEN_SK = "PANELTOKEN";
  public static final String PANEL_ORIGINS_SK = "PANELORIGINS";

  public static String panelTokenPk(String tokenHash) {
    return "PANELTOKEN#" + tokenHash;
  }

  public static String tenantApiKeysPk(String tenantId) {
    return "T#" + tenantId + "#APIKEYS";
  }

  public static String agingPk(String tenantId) {
    return "T#" + tenantId + "#AGING";
  }

  public static String agingSk(String type, String currency, String dueDate) {
    return type + "#" + currency + "#" + dueDate;
  }

  // Write-back: the outbox of operations, our API's idempotency keys, the links from external ids
  // to Xero ids, and the tenant's accounting set-up and cached reference data.
  public static final String OPERATION_SK = "OPERATION";
  public static final String IDEMPOTENCY_SK = "IDEMPOTENCY";
  public static final String EXTERNAL_LINK_SK = "EXTERNAL";
  public static final String ACCOUNTING_SETTINGS_SK = "SETTINGS#ACCOUNTING";
  public static final String XERO_REFERENCE_SK = "XEROREF";

  /** The tenant's write queue counts: accepted, finished, open (admission control). */
  public static final String WRITE_BACKLOG_SK = "WRITEBACKLOG";

  public static String operationPk(String tenantId, String operationId) {
    return "T#" + tenantId + "#OP#" + operationId;
  }

  public static String idempotencyPk(String tenantId, String keyHash) {
    return "T#" + tenantId + "#IDEM#" + keyHash;
  }

  public static String externalLinkPk(String tenantId, String kind, String externalId) {
    return "T#" + tenantId + "#EXT#" + kind + "#" + externalId;
  }

  // The connection, its lifecycle and the SaaS tenants that own connections.
  public static final String CONNECTION_SK = "CONNECTION";
  public static final String REFRESH_LEASE_SK = "REFRESH_LEASE";
  public static final String TENANTS_PK = "TENANTS";
  public static final String SAAS_CONNECTION_SK_PREFIX = "CONN#";
  public static final String PROFILE_SK = "PROFILE";
  public static final String FLOW_SK = "FLOW";

  /** The tenant's own partition: its connection, organisation facts and refresh lease. */
  public static String tenantPk(String tenantId) {
    return "T#" + tenantId;
  }

  /** The sort key of a tenant's entry in the {@code TENANTS} registry. */
  public static String tenantsSk(String tenantId) {
    return tenantPk(tenantId);
  }

  public static String saasPk(String saasTenantId) {
    return "SAAS#" + saasTenantId;
  }

  public static String saasConnectionSk(String tenantId) {
    return SAAS_CONNECTION_SK_PREFIX + tenantId;
  }

  public static String flowPk(String flowId) {
    return "FLOW#" + flowId;
  }

  // Rate budget: per tenant, and app-wide in slices of a rolling minute.
  public static final String RATE_BUDGET_SK = "BUDGET";

  /** Beside the tenant's budget: when its changes were last fetched, and what that fetch covers. */
  public static final String CHANGE_FETCH_SK = "CHANGES";

  public static final String APP_RATE_PK = "RATE#APP";

  public static String rateBudgetPk(String tenantId) {
    return "RATE#" + tenantId;
  }

  /** One app-wide counter per slice of time; zero-padded so slices sort in time order. */
  public static String appRateSk(long slice) {
    return String.format("S#%012d", slice);
  }

  // Purge: a sparse KEYS_ONLY index over every item deleted with its tenant.
  public static final String BY_TENANT = "ByTenant";

  /** The attribute {@link #BY_TENANT} is keyed on; only items purged with their tenant carry it. */
  public static final String TENANT_SHARD = "tenantShard";

  /**
   * A tenant's items spread over this many index partitions: one key would take an initial sync's
   * every write (an index partition takes 1,000 WCU/s, and a throttled index throttles the table).
   */
  public static final int TENANT_SHARDS = 16;

  /**
   * Whether the item goes when its tenant is purged: every item the tenant owns, that is everything
   * under {@code T#tenant} but the connection item (which stays, to show the Disconnected state),
   * its rate budget and change-fetch record, and the credentials looked up by hash (API keys, panel
   * tokens), which name the tenant in an attribute. The registry entries ({@code TENANTS}, {@code
   * SAAS#…}) describe the connection and stay with it.
   */
  public static boolean purgedWithTenant(String tenantId, String pk, String sk) {
    return pk.startsWith(tenantPk(tenantId) + "#")
        || (pk.equals(tenantPk(tenantId)) && !sk.equals(CONNECTION_SK))
        || pk.equals(rateBudgetPk(tenantId))
        || pk.startsWith(apiKeyPk(""))
        || pk.startsWith(panelTokenPk(""));
  }

  /** The item's {@link #BY_TENANT} key: its tenant and a stable shard drawn from its pk. */
  public static String tenantShard(String tenantId, String pk) {
    return tenantId + "#" + Math.floorMod(pk.hashCode(), TENANT_SHARDS);
  }

  /** Every {@link #BY_TENANT} key of the tenant, one per shard. */
  public static java.util.List<String> tenantShards(String tenantId) {
    return java.util.stream.IntStream.range(0, TENANT_SHARDS)
        .mapToObj(n -> tenantId + "#" + n)
        .toList();
  }
}
