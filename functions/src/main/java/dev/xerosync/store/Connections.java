package dev.xerosync.store;

import dev.xerosync.common.Log;
import dev.xerosync.xero.XeroOrganisation;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Connection items ({@code T#tenant / CONNECTION}), the organisation facts the views need ({@code
 * T#tenant / ORGANISATION}), and the registry of tenants the reconciliation walks ({@code TENANTS /
 * T#tenant}: one Query, never a Scan).
 */
public final class Connections {
  private static final Log LOG = Log.of(Connections.class);

  private final DynamoDbClient dynamo;
  private final String table;

  public Connections(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  public Optional<Connection> get(String tenantId) {
    var response =
        dynamo.getItem(
            r ->
                r.tableName(table)
                    .consistentRead(true)
                    .key(Keys.key(Keys.tenantPk(tenantId), Keys.CONNECTION_SK)));
    return response.hasItem() ? Optional.of(fromItem(response.item())) : Optional.empty();
  }

  /**
   * Registers a tenant as PENDING with a fresh initial sync, keeping nothing of an earlier sync.
   */
  public void startInitialSync(String tenantId, Connection.InitialSync initial) {
    Map<String, AttributeValue> values = new HashMap<>();
    String set = initialSyncAssignments(initial, values);
    values.put(":tenant", s(tenantId));
    values.put(":status", s(ConnectionStatus.PENDING.name()));
    // initialProcessed and initialTotal: the single count kept before the per-phase counts.
    update(
        tenantId,
        "SET tenantId = :tenant, #status = :status, "
            + set
            + " REMOVE statusReason, rateLimitedUntil, invoicesSince, paymentsSince, contactsSince, lastReconciledAt,"
            + " recentQueryableAt, initialFinishedAt, initialProcessed, initialTotal",
        values,
        ConnectionStatus.PENDING);
  }

  /**
   * Saves the step after {@code from}, unless the connection was disconnected meanwhile (a step in
   * flight during a disconnect must not bring it back to SYNCING or CONNECTED) or another run saved
   * a step since {@code from} was read. The second matters when a message is delivered again while
   * its first run is still going: a late run that overwrote a newer step would send a message SQS
   * drops as a duplicate of one already handled, and the initial sync would stop. Returns false
   * when nothing was saved; the caller then sends nothing.
   */
  public boolean saveInitialSync(
      String tenantId,
      Connection.InitialSync from,
      Connection.InitialSync initial,
      ConnectionStatus status) {
    Map<String, AttributeValue> values = new HashMap<>();
    String set = initialSyncAssignments(initial, values);
    values.put(":status", s(status.name()));
    values.put(":disconnected", s(ConnectionStatus.DISCONNECTED.name()));
    values.put(":fromStarted", s(from.startedAt().toString()));
    values.put(":fromPhase", s(from.phase().name()));
    values.put(":fromCursor", n(from.cursorMs()));
    values.put(":fromPage", n(from.page()));
    try {
      update(
          tenantId,
          "SET #status = :status, " + set,
          values,
          status,
          "#status <> :disconnected AND initialStartedAt = :fromStarted"
              + " AND initialPhase = :fromPhase AND initialCursorMs = :fromCursor"
              + " AND initialPage = :fromPage");
      return true;
    } catch (TransactionCanceledException e) {
      if (e.cancellationReasons().stream()
          .anyMatch(r -> "ConditionalCheckFailed".equals(r.code()))) {
        return false;
      }
      throw e;
    }
  }

  public void setStatus(
      String tenantId,
      ConnectionStatus status,
      @Nullable String reason,
      @Nullable Instant rateLimitedUntil) {
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":status", s(status.name()));
    StringBuilder set = new StringBuilder("SET #status = :status");
    StringBuilder remove = new StringBuilder();
    if (reason != null) {
      set.append(", statusReason = :reason");
      values.put(":reason", s(reason));
    } else {
      remove.append(" REMOVE statusReason");
    }
    if (rateLimitedUntil != null) {
      set.append(", rateLimitedUntil = :until");
      values.put(":until", s(rateLimitedUntil.toString()));
    } else {
      remove.append(remove.isEmpty() ? " REMOVE rateLimitedUntil" : ", rateLimitedUntil");
    }
    if (status == ConnectionStatus.DISCONNECTED) {
      update(tenantId, set + remove.toString(), values, status);
      return;
    }
    // Only a reconnect (startInitialSync) leaves DISCONNECTED: a sync failing after the disconnect
    // must not lift the fence its tenant's writes are conditioned on (TenantFence).
    values.put(":disconnected", s(ConnectionStatus.DISCONNECTED.name()));
    try {
      update(
          tenantId,
          set + remove.toString(),
          values,
          status,
          "attribute_not_exists(pk) OR #status <> :disconnected");
    } catch (TransactionCanceledException e) {
      if (e.cancellationReasons().stream()
          .noneMatch(r -> "ConditionalCheckFailed".equals(r.code()))) {
        throw e;
      }
      LOG.warn(
          "status change dropped: tenant disconnected", "tenantId", tenantId, "status", status);
    }
  }

  /** Where the next reconciliation sweep starts reading, per collection. */
  public void saveWatermarks(
      String tenantId,
      Instant invoicesSince,
      Instant paymentsSince,
      Instant contactsSince,
      Instant organisationFetchedAt,
      Instant reconciledAt) {
    Map<String, AttributeValue> values = new HashMap<>();
    StringBuilder set = new StringBuilder("SET lastReconciledAt = :rec");
    values.put(":rec", s(reconciledAt.toString()));
    appendInstant(set, values, "invoicesSince", invoicesSince);
    appendInstant(set, values, "paymentsSince", paymentsSince);
    appendInstant(set, values, "contactsSince", contactsSince);
    appendInstant(set, values, "organisationFetchedAt", organisationFetchedAt);
    dynamo.updateItem(
        r ->
            r.tableName(table)
                .key(Keys.key(Keys.tenantPk(tenantId), Keys.CONNECTION_SK))
                .updateExpression(set.toString())
                .expressionAttributeValues(values));
  }

  private static void appendInstant(
      StringBuilder set, Map<String, AttributeValue> values, String name, Instant value) {
    if (value != null) {
      set.append(", ").append(name).append(" = :").append(name);
      values.put(":" + name, s(value.toString()));
    }
  }

  private static String initialSyncAssignments(
      Connection.InitialSync i, Map<String, AttributeValue> values) {
    values.put(":phase", s(i.phase().name()));
    values.put(":cutoff", s(i.cutoff().toString()));
    values.put(":cursor", n(i.cursorMs()));
    values.put(":page", n(i.page()));
    Connection.Counts c = i.counts();
    values.put(":recentDone", n(c.recentDone()));
    values.put(":recentTotal", n(c.recentTotal()));
    values.put(":olderDone", n(c.olderDone()));
    values.put(":olderTotal", n(c.olderTotal()));
    values.put(":contactsDone", n(c.contactsDone()));
    values.put(":contactsTotal", n(c.contactsTotal()));
    values.put(":started", s(i.startedAt().toString()));
    String set =
        "initialPhase = :phase, initialCutoff = :cutoff, initialCursorMs = :cursor, initialPage = :page, "
            + "initialRecentDone = :recentDone, initialRecentTotal = :recentTotal, "
            + "initialOlderDone = :olderDone, initialOlderTotal = :olderTotal, "
            + "initialContactsDone = :contactsDone, initialContactsTotal = :contactsTotal, "
            + "initialStartedAt = :started";
    if (i.recentQueryableAt() != null) {
      values.put(":recent", s(i.recentQueryableAt().toString()));
      set += ", recentQueryableAt = :recent";
    }
    if (i.finishedAt() != null) {
      values.put(":finished", s(i.finishedAt().toString()));
      set += ", initialFinishedAt = :finished";
    }
    return set;
  }

  /**
   * The connection item and its registry entry change together, so the registry's status is never
   * stale.
   */
  private void update(
      String tenantId,
      String expression,
      Map<String, AttributeValue> values,
      ConnectionStatus status) {
    update(tenantId, expression, values, status, null);
  }

  private void update(
      String tenantId,
      String expression,
      Map<String, AttributeValue> values,
      ConnectionStatus status,
      @Nullable String condition) {
    dynamo.transactWriteItems(
        r ->
            r.transactItems(
                t ->
                    t.update(
                        u ->
                            u.tableName(table)
                                .key(Keys.key(Keys.tenantPk(tenantId), Keys.CONNECTION_SK))
                                .updateExpression(expression)
                                .conditionExpression(condition)
                                .expressionAttributeNames(Map.of("#status", "status"))
                                .expressionAttributeValues(values)),
                t ->
                    t.put(
                        p ->
                            p.tableName(table)
                                .item(
                                    Keys.item(
                                        Keys.TENANTS_PK,
                                        Keys.tenantsSk(tenantId),
                                        Map.of(
                                            "tenantId",
                                            s(tenantId),
                                            "status",
                                            s(status.name())))))));
  }

  /** Every registered tenant with its status, a page at a time. */
  public List<Map.Entry<String, ConnectionStatus>> tenants() {
    List<Map.Entry<String, ConnectionStatus>> tenants = new ArrayList<>();
    for (Registered r : registered()) {
      tenants.add(Map.entry(r.tenantId(), r.status()));
    }
    return tenants;
  }

  /**
   * A tenant in the registry: its status, and when its last reconciliation sweep started and
   * whether it was clean (found nothing webhooks had not brought); null and false when unknown.
   */
  public record Registered(
      String tenantId, ConnectionStatus status, @Nullable Instant sweptAt, boolean sweepClean) {}

  /** Every registered tenant, a page at a time. */
  public List<Registered> registered() {
    List<Registered> tenants = new ArrayList<>();
    Pages.forEachItem(
        dynamo,
        r ->
            r.tableName(table)
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s(Keys.TENANTS_PK))),
        item -> {
          AttributeValue swept = item.get("sweptAt");
          AttributeValue clean = item.get("sweepClean");
          tenants.add(
              new Registered(
                  ItemCodec.attr(item, "tenantId").s(),
                  ConnectionStatus.valueOf(ItemCodec.attr(item, "status").s()),
                  swept == null || swept.s() == null ? null : Instant.parse(swept.s()),
                  clean != null && Boolean.TRUE.equals(clean.bool())));
        });
    return tenants;
  }

  /**
   * Notes a sweep on the tenant's registry entry, where the schedule reads it. A status change
   * rewrites the entry without it, so the tenant is swept on the next schedule: the safe default. A
   * tenant no longer registered is left so.
   */
  public void recordSweep(String tenantId, Instant sweptAt, boolean clean) {
    try {
      dynamo.updateItem(
          r ->
              r.tableName(table)
                  .key(Keys.key(Keys.TENANTS_PK, Keys.tenantsSk(tenantId)))
                  .updateExpression("SET sweptAt = :at, sweepClean = :clean")
                  .conditionExpression("attribute_exists(pk)")
                  .expressionAttributeValues(
                      Map.of(
                          ":at", s(sweptAt.toString()), ":clean", AttributeValue.fromBool(clean))));
    } catch (ConditionalCheckFailedException e) {
      LOG.info("sweep not noted: tenant not registered", "tenantId", tenantId);
    }
  }

  public void putOrganisation(String tenantId, XeroOrganisation org) {
    Map<String, AttributeValue> item = Keys.item(Keys.tenantPk(tenantId), Keys.ORGANISATION_SK);
    putIfPresent(item, "name", org.name());
    putIfPresent(item, "shortCode", org.shortCode());
    putIfPresent(item, "xeroTimezone", org.xeroTimezone());
    item.put("timezone", s(org.zone().getId()));
    putIfPresent(item, "baseCurrency", org.baseCurrency());
    TenantFence.put(
        dynamo, table, tenantId, r -> r.tableName(table).item(TenantItems.stamp(tenantId, item)));
  }

  /**
   * Records a (re)connection; clears whatever an earlier failure or disconnect left behind. A new
   * connection item starts PENDING, so it is readable before the initial sync registers it.
   */
  public void recordConnected(
      String tenantId,
      String saasTenantId,
      String organisationName,
      @Nullable String connectedBy,
      String xeroConnectionId,
      String apiBaseUrl,
      Instant at) {
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":saas", s(saasTenantId));
    values.put(":org", s(organisationName));
    values.put(":by", s(connectedBy == null ? "unknown" : connectedBy));
    values.put(":conn", s(xeroConnectionId));
    values.put(":base", s(apiBaseUrl));
    values.put(":at", s(at.toString()));
    values.put(":tenant", s(tenantId));
    values.put(":pending", s("PENDING"));
    dynamo.transactWriteItems(
        t ->
            t.transactItems(
                w ->
                    w.update(
                        u ->
                            u.tableName(table)
                                .key(Keys.key(Keys.tenantPk(tenantId), Keys.CONNECTION_SK))
                                .updateExpression(
                                    "SET tenantId = :tenant, #status = if_not_exists(#status, :pending), saasTenantId = :saas, organisationName = :org, connectedBy = :by, xeroConnectionId = :conn, "
                                        + "apiBaseUrl = :base, connectedAt = :at REMOVE statusAction, actionUrl, disconnectedAt, disconnectedBy, "
                                        + "syncErrorNotifiedAt, initialSyncNotifiedAt, reconnectNotifiedAt")
                                .expressionAttributeNames(Map.of("#status", "status"))
                                .expressionAttributeValues(values)),
                w ->
                    w.put(
                        p ->
                            p.tableName(table)
                                .item(
                                    Keys.item(
                                        Keys.saasPk(saasTenantId),
                                        Keys.saasConnectionSk(tenantId),
                                        Map.of(
                                            "saasTenantId",
                                            s(saasTenantId),
                                            "tenantId",
                                            s(tenantId),
                                            "organisationName",
                                            s(organisationName)))))));
  }

  /** The corrective action (and its URL, where one applies) shown with an unhealthy status. */
  public void setAction(String tenantId, String action, @Nullable String actionUrl) {
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":action", s(action));
    String set = "SET statusAction = :action";
    String remove = "";
    if (actionUrl != null) {
      values.put(":url", s(actionUrl));
      set += ", actionUrl = :url";
    } else {
      remove = " REMOVE actionUrl";
    }
    String expression = set + remove;
    dynamo.updateItem(
        u ->
            u.tableName(table)
                .key(Keys.key(Keys.tenantPk(tenantId), Keys.CONNECTION_SK))
                .updateExpression(expression)
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeValues(values));
  }

  public void recordDisconnected(String tenantId, String by, Instant at) {
    dynamo.updateItem(
        u ->
            u.tableName(table)
                .key(Keys.key(Keys.tenantPk(tenantId), Keys.CONNECTION_SK))
                .updateExpression(
                    "SET disconnectedAt = :at, disconnectedBy = :by REMOVE statusAction, actionUrl")
                .expressionAttributeValues(Map.of(":at", s(at.toString()), ":by", s(by))));
  }

  /**
   * Claims the right to send a once-only notification ({@code initialSyncNotifiedAt}) or a
   * throttled one (sent again only after {@code notBefore}): true for exactly one caller.
   */
  public boolean claimNotification(
      String tenantId, String attribute, Instant now, @Nullable Instant notBefore) {
    try {
      String condition =
          notBefore == null
              ? "attribute_exists(pk) AND attribute_not_exists(#a)"
              : "attribute_exists(pk) AND (attribute_not_exists(#a) OR #a < :nb)";
      Map<String, AttributeValue> values = new HashMap<>();
      values.put(":now", s(now.toString()));
      if (notBefore != null) {
        values.put(":nb", s(notBefore.toString()));
      }
      dynamo.updateItem(
          u ->
              u.tableName(table)
                  .key(Keys.key(Keys.tenantPk(tenantId), Keys.CONNECTION_SK))
                  .updateExpression("SET #a = :now")
                  .conditionExpression(condition)
                  .expressionAttributeNames(Map.of("#a", attribute))
                  .expressionAttributeValues(values));
      return true;
    } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException e) {
      return false;
    }
  }

  private static Connection fromItem(Map<String, AttributeValue> item) {
    Connection.InitialSync initial = null;
    if (item.containsKey("initialPhase")) {
      initial =
          new Connection.InitialSync(
              Connection.InitialSync.Phase.valueOf(ItemCodec.attr(item, "initialPhase").s()),
              LocalDate.parse(ItemCodec.attr(item, "initialCutoff").s()),
              num(item, "initialCursorMs"),
              (int) num(item, "initialPage"),
              new Connection.Counts(
                  num(item, "initialRecentDone"),
                  count(item, "initialRecentTotal"),
                  num(item, "initialOlderDone"),
                  count(item, "initialOlderTotal"),
                  num(item, "initialContactsDone"),
                  count(item, "initialContactsTotal")),
              Instant.parse(ItemCodec.requiredStr(item, "initialStartedAt")),
              instant(item, "recentQueryableAt"),
              instant(item, "initialFinishedAt"));
    }
    return new Connection(
        ItemCodec.attr(item, "tenantId").s(),
        ConnectionStatus.valueOf(ItemCodec.attr(item, "status").s()),
        item.containsKey("statusReason") ? item.get("statusReason").s() : null,
        instant(item, "rateLimitedUntil"),
        initial,
        instant(item, "invoicesSince"),
        instant(item, "paymentsSince"),
        instant(item, "contactsSince"),
        instant(item, "organisationFetchedAt"),
        instant(item, "lastReconciledAt"));
  }

  private static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  private static AttributeValue n(long v) {
    return AttributeValue.fromN(Long.toString(v));
  }

  private static void putIfPresent(
      Map<String, AttributeValue> item, String name, @Nullable String value) {
    if (value != null && !value.isEmpty()) {
      item.put(name, s(value));
    }
  }

  private static @Nullable Instant instant(Map<String, AttributeValue> item, String name) {
    return item.containsKey(name) ? Instant.parse(item.get(name).s()) : null;
  }

  /** A total; unknown on a checkpoint saved before totals were kept per phase. */
  private static long count(Map<String, AttributeValue> item, String name) {
    return item.containsKey(name) ? Long.parseLong(item.get(name).n()) : Connection.Counts.UNKNOWN;
  }

  private static long num(Map<String, AttributeValue> item, String name) {
    return item.containsKey(name) ? Long.parseLong(item.get(name).n()) : 0;
  }
}
