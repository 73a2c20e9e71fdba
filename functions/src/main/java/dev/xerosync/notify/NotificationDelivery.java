package dev.xerosync.notify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.common.Json;
import dev.xerosync.common.Log;
import dev.xerosync.store.ConnectionRecords;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * POSTs one queued notification to its SaaS tenant's notification URL, signed (see {@link
 * NotificationSignature}). False means "retry later": the queue redelivers it.
 */
public final class NotificationDelivery {
  private static final Log LOG = Log.of(NotificationDelivery.class);

  private final ConnectionRecords records;
  private final NotificationSignature signature;
  private final HttpClient http;
  private final Clock clock;
  private final OutboundUrls urls;

  public NotificationDelivery(
      ConnectionRecords records,
      NotificationSignature signature,
      HttpClient http,
      Clock clock,
      OutboundUrls urls) {
    this.records = records;
    this.signature = signature;
    this.http = http;
    this.clock = clock;
    this.urls = urls;
  }

  /**
   * Reads the notification URL of a SaaS tenant that cannot exist and signs a sample; delivers
   * nothing.
   */
  public void prime() {
    records.notificationUrl("priming");
    signature.sign(0, "{}");
  }

  /** True when delivered, or when there is nothing to deliver (no URL, unreadable body). */
  public boolean deliver(String messageId, String body, @Nullable String receiveCount) {
    JsonNode n;
    try {
      n = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      LOG.warn("unreadable notification dropped", "messageId", messageId);
      return true;
    }
    String saasTenantId = n.path("saasTenantId").asText(null);
    String url = saasTenantId == null ? null : records.notificationUrl(saasTenantId).orElse(null);
    if (url == null) {
      LOG.info(
          "no notification URL; notification skipped",
          "saasTenantId",
          saasTenantId,
          "type",
          n.path("type").asText());
      return true;
    }
    // Resolved now, not when the URL was stored: a name can point anywhere by the time we send.
    String refused;
    try {
      refused = urls.refusedAtSendTime(URI.create(url));
    } catch (IllegalArgumentException e) {
      refused = "it is not a URL";
    }
    if (refused != null) {
      LOG.warn(
          "notification not sent: the URL is not allowed; will retry",
          "saasTenantId",
          saasTenantId,
          "reason",
          refused);
      return false;
    }
    long t = clock.instant().getEpochSecond();
    try {
      HttpResponse<Void> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url))
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", "application/json")
                  .header(NotificationSignature.HEADER, signature.sign(t, body))
                  .header("X-XeroSync-Event-Id", n.path("id").asText())
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      boolean ok = r.statusCode() / 100 == 2;
      LOG.info(
          ok ? "notification delivered" : "notification refused; will retry",
          "saasTenantId",
          saasTenantId,
          "type",
          n.path("type").asText(),
          "status",
          r.statusCode(),
          "receiveCount",
          receiveCount);
      return ok;
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn(
          "notification not delivered; will retry",
          "saasTenantId",
          saasTenantId,
          "error",
          e.getClass().getSimpleName());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
