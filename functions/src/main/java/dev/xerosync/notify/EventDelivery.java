package dev.xerosync.notify;

import dev.xerosync.common.Log;
import dev.xerosync.queue.EventQueue;
import dev.xerosync.store.ConnectionRecords;
import dev.xerosync.store.Subscriptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * POSTs one queued delivery to its subscription's URL with Standard Webhooks headers ({@link
 * WebhookSignature}). The notification URL's deliveries also carry the older {@code
 * X-XeroSync-Signature} ({@link NotificationSignature}), so receivers written for it keep working.
 * Anything but a 2xx within {@link #TIMEOUT} is a failure the queue retries; redirects are never
 * followed and the host is resolved and checked ({@link OutboundUrls}) at every send.
 */
public final class EventDelivery {
  private static final Log LOG = Log.of(EventDelivery.class);

  /** Standard Webhooks advises a short timeout; a slow consumer is retried, not waited on. */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  public enum Outcome {
    DELIVERED,
    /** The subscription was deleted (or the notification URL removed): nobody wants it now. */
    NO_LONGER_SUBSCRIBED,
    RETRY
  }

  private final Subscriptions subscriptions;
  private final ConnectionRecords records;
  private final WebhookSignature signature;
  private final NotificationSignature legacy;
  private final HttpClient http;
  private final Clock clock;
  private final OutboundUrls urls;

  public EventDelivery(
      Subscriptions subscriptions,
      ConnectionRecords records,
      String signingKey,
      HttpClient http,
      Clock clock,
      OutboundUrls urls) {
    this.subscriptions = subscriptions;
    this.records = records;
    this.signature = new WebhookSignature(signingKey);
    this.legacy = new NotificationSignature(signingKey);
    this.http = http;
    this.clock = clock;
    this.urls = urls;
  }

  /** Never follows redirects (the default): a consumer's 3xx cannot lead us inside the network. */
  public static HttpClient httpClient() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** Reads a subscription that cannot exist and signs a sample; sends nothing. */
  public void prime() {
    subscriptions.get("priming", "priming");
    WebhookSignature.sign(signature.secret("priming", "priming"), "priming", 0, "{}");
  }

  public Outcome deliver(EventQueue.Delivery d, int receiveCount) {
    boolean notificationUrl = EventQueue.NOTIFICATION_URL.equals(d.subscriptionId());
    String url =
        notificationUrl
            ? records.notificationUrl(d.saasTenantId()).orElse(null)
            : subscriptions
                .get(d.saasTenantId(), d.subscriptionId())
                .map(s -> s.url())
                .orElse(null);
    if (url == null) {
      LOG.info(
          "event not sent: no longer subscribed",
          "saasTenantId",
          d.saasTenantId(),
          "subscriptionId",
          d.subscriptionId(),
          "eventId",
          d.eventId());
      return Outcome.NO_LONGER_SUBSCRIBED;
    }
    String refused;
    try {
      refused = urls.refusedAtSendTime(URI.create(url));
    } catch (IllegalArgumentException e) {
      refused = "it is not a URL";
    }
    if (refused != null) {
      warn(
          d, "event not sent: the URL is not allowed; will retry", "reason", refused, receiveCount);
      return Outcome.RETRY;
    }
    long t = clock.instant().getEpochSecond();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .header(WebhookSignature.ID, d.eventId())
            .header(WebhookSignature.TIMESTAMP, Long.toString(t))
            .header(
                WebhookSignature.SIGNATURE,
                WebhookSignature.sign(
                    signature.secret(d.saasTenantId(), d.subscriptionId()),
                    d.eventId(),
                    t,
                    d.body()))
            .POST(HttpRequest.BodyPublishers.ofString(d.body()));
    if (notificationUrl) {
      request
          .header(NotificationSignature.HEADER, legacy.sign(t, d.body()))
          .header("X-XeroSync-Event-Id", d.eventId());
    }
    try {
      HttpResponse<Void> r = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
      if (r.statusCode() / 100 == 2) {
        LOG.info(
            "event delivered",
            "saasTenantId",
            d.saasTenantId(),
            "subscriptionId",
            d.subscriptionId(),
            "type",
            d.type(),
            "eventId",
            d.eventId(),
            "receiveCount",
            receiveCount);
        return Outcome.DELIVERED;
      }
      warn(d, "event refused; will retry", "status", r.statusCode(), receiveCount);
    } catch (IOException | IllegalArgumentException e) {
      warn(
          d,
          "event not delivered; will retry",
          "error",
          e.getClass().getSimpleName(),
          receiveCount);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Outcome.RETRY;
  }

  private static void warn(
      EventQueue.Delivery d, String message, String key, @Nullable Object value, int receiveCount) {
    LOG.warn(
        message,
        "saasTenantId",
        d.saasTenantId(),
        "subscriptionId",
        d.subscriptionId(),
        "eventId",
        d.eventId(),
        key,
        value,
        "receiveCount",
        receiveCount);
  }
}
