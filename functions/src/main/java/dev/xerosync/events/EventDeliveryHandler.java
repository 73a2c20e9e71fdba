package dev.xerosync.events;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.xerosync.common.Environment;
import dev.xerosync.common.Log;
import dev.xerosync.common.Priming;
import dev.xerosync.notify.DeliveryBackoff;
import dev.xerosync.notify.EventDelivery;
import dev.xerosync.queue.EventQueue;
import dev.xerosync.queue.Redelivery;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * Delivers the event queue's messages to subscribers. Message groups (a subscription and a subject)
 * are delivered side by side, each in order: after a message of a group fails, the rest of that
 * group in the batch is failed untried and waits as long, so a subject's events never overtake each
 * other (AWS: with FIFO, return the failed message and every later one of its group,
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html). A failure comes
 * back after {@link DeliveryBackoff}'s wait (ChangeMessageVisibility), not the queue's timeout.
 */
public final class EventDeliveryHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  private static final Log LOG = Log.of(EventDeliveryHandler.class);

  private final EventDelivery delivery;
  private final Redelivery redelivery;
  private final DeliveryBackoff backoff;

  public EventDeliveryHandler() {
    this(Environment.process());
    Priming.register(EventDeliveryHandler.class, this::prime);
  }

  /** Reads a subscription that cannot exist and signs a sample; sends nothing. */
  public void prime() {
    delivery.prime();
  }

  public EventDeliveryHandler(Environment env) {
    this(EventsWiring.of(env), DeliveryBackoff.STANDARD);
  }

  /** The local stack's tests and benchmarks compress the backoff; nothing else differs. */
  public EventDeliveryHandler(Environment env, DeliveryBackoff backoff) {
    this(EventsWiring.of(env), backoff);
  }

  private EventDeliveryHandler(EventsWiring w, DeliveryBackoff backoff) {
    this(w.delivery(), w.redelivery(), backoff);
  }

  public EventDeliveryHandler(
      EventDelivery delivery, Redelivery redelivery, DeliveryBackoff backoff) {
    this.delivery = delivery;
    this.redelivery = redelivery;
    this.backoff = backoff;
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, @Nullable Context context) {
    Map<String, List<SQSEvent.SQSMessage>> groups = new LinkedHashMap<>();
    for (SQSEvent.SQSMessage m : event.getRecords()) {
      groups
          .computeIfAbsent(attribute(m, "MessageGroupId", m.getMessageId()), g -> new ArrayList<>())
          .add(m);
    }
    ConcurrentLinkedQueue<String> failed = new ConcurrentLinkedQueue<>();
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> running = new ArrayList<>();
      for (List<SQSEvent.SQSMessage> group : groups.values()) {
        running.add(executor.submit(() -> deliverGroup(group, failed)));
      }
      for (Future<?> f : running) {
        try {
          f.get();
        } catch (ExecutionException e) {
          throw new IllegalStateException("a group's delivery failed", e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
      }
    }
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    for (SQSEvent.SQSMessage m : event.getRecords()) {
      if (failed.contains(m.getMessageId())) {
        failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
      }
    }
    return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
  }

  private void deliverGroup(List<SQSEvent.SQSMessage> group, ConcurrentLinkedQueue<String> failed) {
    Duration blockedFor = null;
    for (SQSEvent.SQSMessage m : group) {
      if (blockedFor == null) {
        blockedFor = deliverOne(m);
      }
      if (blockedFor != null) {
        failed.add(m.getMessageId());
        redelivery.after(m.getReceiptHandle(), blockedFor);
      }
    }
  }

  /** Null when the message is done with; else how long its group waits. */
  private @Nullable Duration deliverOne(SQSEvent.SQSMessage m) {
    int receiveCount = receiveCount(m);
    EventQueue.Delivery d;
    try {
      d = EventQueue.Delivery.parse(m.getBody());
    } catch (IOException e) {
      // Retrying cannot fix it, but dropping it would be silent: it ends in the dead-letter queue.
      LOG.error(
          "unreadable event delivery; it will reach the dead-letter queue",
          null,
          "messageId",
          m.getMessageId());
      return backoff.after(receiveCount);
    }
    return switch (delivery.deliver(d, receiveCount)) {
      case DELIVERED, NO_LONGER_SUBSCRIBED -> null;
      case RETRY -> backoff.after(receiveCount);
    };
  }

  private static int receiveCount(SQSEvent.SQSMessage m) {
    try {
      return Integer.parseInt(attribute(m, "ApproximateReceiveCount", "1"));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  private static String attribute(SQSEvent.SQSMessage m, String name, String fallback) {
    String v = m.getAttributes() == null ? null : m.getAttributes().get(name);
    return v == null ? fallback : v;
  }
}
