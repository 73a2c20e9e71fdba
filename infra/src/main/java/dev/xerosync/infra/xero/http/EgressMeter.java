package dev.xerosync.infra.xero.http;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Response bytes per tenant and endpoint, counted as Xero's egress meter counts them since its
 * March 2026 pricing: the body as sent, so gzip-compressed where the client asked for it. Only
 * Accounting API calls (those naming a tenant in xero-tenant-id) are metered.
 */
public final class EgressMeter {
  private static final String API = "/api.xro/2.0/";

  private final Map<String, Map<String, LongAdder>> bytes = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> uncompressed = new ConcurrentHashMap<>();

  /** A response body of {@code sentBytes} as sent, {@code plainBytes} before any compression. */
  void record(SimRequest req, long sentBytes, long plainBytes) {
    String tenant = req.header("xero-tenant-id").orElse(null);
    if (tenant == null || sentBytes <= 0) {
      return;
    }
    String key = tenant.toLowerCase(Locale.ROOT);
    bytes
        .computeIfAbsent(key, t -> new ConcurrentHashMap<>())
        .computeIfAbsent(endpoint(req.path()), e -> new LongAdder())
        .add(sentBytes);
    uncompressed.computeIfAbsent(key, t -> new LongAdder()).add(plainBytes);
  }

  /**
   * What this tenant's bodies would have cost uncompressed: the same run's figure without gzip, so
   * a benchmark can show both.
   */
  public long tenantUncompressed(String tenantId) {
    LongAdder n = uncompressed.get(tenantId.toLowerCase(Locale.ROOT));
    return n == null ? 0 : n.sum();
  }

  /** The collection a path names ({@code Invoices} for /api.xro/2.0/Invoices/{id}). */
  static String endpoint(String path) {
    int at = path.toLowerCase(Locale.ROOT).indexOf(API.toLowerCase(Locale.ROOT));
    String rest = at < 0 ? path : path.substring(at + API.length());
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }

  /** Bytes sent for this tenant, by endpoint. */
  public Map<String, Long> byEndpoint(String tenantId) {
    Map<String, Long> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    bytes
        .getOrDefault(tenantId.toLowerCase(Locale.ROOT), Map.of())
        .forEach((e, n) -> out.merge(e, n.sum(), Long::sum));
    return out;
  }

  /** Bytes sent for this tenant, every endpoint. */
  public long tenant(String tenantId) {
    return byEndpoint(tenantId).values().stream().mapToLong(Long::longValue).sum();
  }

  /** Bytes sent for every tenant. */
  public long total() {
    return bytes.values().stream()
        .flatMap(m -> m.values().stream())
        .mapToLong(LongAdder::sum)
        .sum();
  }

  /** Forgets every count (a benchmark measures one phase at a time). */
  public void reset() {
    bytes.clear();
    uncompressed.clear();
  }
}
