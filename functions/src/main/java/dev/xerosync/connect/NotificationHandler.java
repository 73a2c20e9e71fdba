package dev.xerosync.connect;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.xerosync.common.Environment;
import dev.xerosync.common.Priming;
import dev.xerosync.notify.NotificationDelivery;
import dev.xerosync.notify.NotificationSignature;
import dev.xerosync.notify.OutboundUrls;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Delivers queued notifications to each SaaS tenant's notification URL, signed (see {@link
 * NotificationSignature}). A delivery without a 2xx answer is reported as a batch item failure, so
 * SQS retries it later; a SaaS tenant without a URL is skipped.
 */
public final class NotificationHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  private final NotificationDelivery delivery;

  public NotificationHandler() {
    this(Environment.process());
    Priming.register(NotificationHandler.class, this::prime);
  }

  /**
   * Reads the notification URL of a SaaS tenant that cannot exist and signs a sample; delivers
   * nothing.
   */
  public void prime() {
    delivery.prime();
  }

  public NotificationHandler(Environment env) {
    this(ConnectWiring.of(env));
  }

  private NotificationHandler(ConnectWiring w) {
    this(
        new NotificationDelivery(
            w.records(),
            new NotificationSignature(w.secrets().notificationSigningKey()),
            w.http(),
            w.clock(),
            OutboundUrls.of(w.env())));
  }

  public NotificationHandler(NotificationDelivery delivery) {
    this.delivery = delivery;
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    for (SQSEvent.SQSMessage m : event.getRecords()) {
      if (!delivery.deliver(m.getMessageId(), m.getBody(), receiveCount(m))) {
        failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
      }
    }
    return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
  }

  private static @Nullable String receiveCount(SQSEvent.SQSMessage m) {
    return m.getAttributes() == null ? null : m.getAttributes().get("ApproximateReceiveCount");
  }
}
