package dev.xerosync.events;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.common.Environment;
import dev.xerosync.common.Json;
import dev.xerosync.common.Log;
import dev.xerosync.common.Priming;
import dev.xerosync.notify.EventFanOut;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Puts the connection, sync and write notifications on the event channel: each queued notification
 * goes to the event queue once per subscription that names its type, and to the SaaS tenant's
 * notification URL; {@link EventDeliveryHandler} signs and sends them like every other event. Their
 * subject is the Xero tenant, or the operation for {@code write.*}, so a tenant's notifications
 * arrive in order. A message that cannot be queued is retried by SQS.
 */
public final class NotificationHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  private static final Log LOG = Log.of(NotificationHandler.class);

  private final EventFanOut fanOut;

  public NotificationHandler() {
    this(Environment.process());
    Priming.register(NotificationHandler.class, this::prime);
  }

  public NotificationHandler(Environment env) {
    this(EventsWiring.of(env).fanOut());
  }

  public NotificationHandler(EventFanOut fanOut) {
    this.fanOut = fanOut;
  }

  /** Fans out to a SaaS tenant that cannot exist: reads its subscriptions, queues nothing. */
  public void prime() {
    fanOut.fanOut("priming", List.of());
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, @Nullable Context context) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    for (SQSEvent.SQSMessage m : event.getRecords()) {
      try {
        fanOutOne(m);
      } catch (RuntimeException e) {
        LOG.warn(
            "notification not queued for delivery; will retry",
            "messageId",
            m.getMessageId(),
            "error",
            e.getClass().getSimpleName());
        failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
      }
    }
    return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
  }

  private void fanOutOne(SQSEvent.SQSMessage m) {
    JsonNode n;
    try {
      n = Json.MAPPER.readTree(m.getBody());
    } catch (IOException e) {
      LOG.warn("unreadable notification dropped", "messageId", m.getMessageId());
      return;
    }
    String saasTenantId = n.path("saasTenantId").asText(null);
    String type = n.path("type").asText("");
    if (saasTenantId == null) {
      LOG.info("notification of a connection no SaaS tenant owns; skipped", "type", type);
      return;
    }
    String subject =
        type.startsWith("write.")
            ? n.path("operationId").asText("")
            : n.path("tenantId").asText("");
    fanOut.fanOut(
        saasTenantId,
        List.of(
            new EventFanOut.Outbound(
                n.path("id").asText(m.getMessageId()), type, subject, m.getBody())));
  }
}
