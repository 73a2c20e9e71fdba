package dev.xerosync.common;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/**
 * CloudWatch metrics in embedded metric format: one JSON line on stdout per data point, which
 * CloudWatch Logs turns into a metric with no API call and no extra permission
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
 * Hand-written rather than Powertools: ColdStartBenchmark showed nothing it would add worth its
 * classes.
 *
 * <p>The namespace is METRICS_NAMESPACE (template.yaml sets XeroSync/&lt;stack&gt;); the alarms of
 * template.yaml read these metrics by name, so renaming one here means renaming it there.
 */
public final class Metrics {
  public static final String WEBHOOKS_RECEIVED = "WebhooksReceived";
  public static final String WEBHOOKS_REJECTED = "WebhooksRejected";
  public static final String EVENTS_ENQUEUED = "EventsEnqueued";

  /** Signed events that were not well formed (docs/security.md). */
  public static final String WEBHOOK_EVENTS_DROPPED = "WebhookEventsDropped";

  /** Ids in a sync message that are not Xero ids; the rest of the message is synced. */
  public static final String SYNC_IDS_DROPPED = "SyncIdsDropped";

  public static final String XERO_CALLS = "XeroCalls";
  public static final String XERO_429S = "Xero429s";
  public static final String SYNC_LAG_MS = "SyncLagMs";
  public static final String XERO_DAILY_BUDGET_USED_PERCENT = "XeroDailyBudgetUsedPercent";

  /** Invoices Xero sent with ValidationErrors or Warnings, by Kind (docs/operations.md). */
  public static final String XERO_INVOICE_PROBLEMS = "XeroInvoiceProblems";

  /** Items Xero sent that the store refused, set aside so the rest is stored (docs/operations). */
  public static final String SYNC_ITEMS_SET_ASIDE = "SyncItemsSetAside";

  /** Change notices to open panels that failed past their retries (docs/panel.md). */
  public static final String PANEL_NOTICES_UNDELIVERED = "PanelNoticesUndelivered";

  private static final String NAMESPACE = namespace();

  private Metrics() {}

  public static void count(String name, long value) {
    emit(name, "Count", value, null, null);
  }

  /** A count split by one dimension, such as Xero calls by Outcome. */
  public static void count(String name, long value, String dimension, String dimensionValue) {
    emit(name, "Count", value, dimension, dimensionValue);
  }

  public static void milliseconds(String name, long value) {
    emit(name, "Milliseconds", value, null, null);
  }

  public static void percent(String name, double value) {
    emit(name, "Percent", value, null, null);
  }

  /**
   * Xero's answer to one call, as the XeroCalls Outcome dimension: ok, 4xx codes by name, 5xx,
   * timeout.
   */
  public static String outcomeOf(int status) {
    return switch (status) {
      case 0 -> "timeout";
      case 200, 304 -> "ok";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "notfound";
      case 429 -> "ratelimited";
      default -> status >= 500 ? "servererror" : "clienterror";
    };
  }

  private static void emit(
      String name,
      String unit,
      Number value,
      @Nullable String dimension,
      @Nullable String dimensionValue) {
    ObjectNode line = Json.MAPPER.createObjectNode();
    ObjectNode directive = Json.MAPPER.createObjectNode().put("Namespace", NAMESPACE);
    ArrayNode dimensionSet = directive.putArray("Dimensions").addArray();
    if (dimension != null) {
      dimensionSet.add(dimension);
      line.put(dimension, dimensionValue);
    }
    directive.putArray("Metrics").addObject().put("Name", name).put("Unit", unit);
    ObjectNode aws = line.putObject("_aws").put("Timestamp", System.currentTimeMillis());
    aws.putArray("CloudWatchMetrics").add(directive);
    line.putPOJO(name, value);
    Log.context().forEach(line::put);
    System.out.println(line);
  }

  private static String namespace() {
    String configured = System.getenv("METRICS_NAMESPACE");
    return configured == null || configured.isBlank() ? "XeroSync" : configured;
  }
}
