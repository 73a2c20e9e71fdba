package dev.xerosync.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.xerosync.common.Json;
import dev.xerosync.common.Log;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Queues notifications for delivery. The notification function fans each out to the event queue
 * (one delivery per subscription that names its type, and the notification URL), where it is
 * signed, sent and retried like every business event (docs/events.md).
 */
public final class Notifications {
  private static final Log LOG = Log.of(Notifications.class);

  private final SqsClient sqs;
  private final String queueUrl;

  public Notifications(SqsClient sqs, String queueUrl) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
  }

  public void publish(Notification n) {
    try {
      String body = Json.MAPPER.writeValueAsString(n);
      sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body));
      LOG.info(
          "notification queued",
          "type",
          n.type(),
          "saasTenantId",
          n.saasTenantId(),
          "tenantId",
          n.tenantId(),
          "id",
          n.id());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("notification could not be serialised", e);
    } catch (RuntimeException e) {
      // A lost notification must not fail the sync that raised it; the status endpoint still tells.
      LOG.error("notification could not be queued", e, "type", n.type(), "tenantId", n.tenantId());
    }
  }
}
