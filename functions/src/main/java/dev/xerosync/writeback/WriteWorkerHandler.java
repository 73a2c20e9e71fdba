package dev.xerosync.writeback;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.xerosync.common.Environment;
import dev.xerosync.common.Log;
import dev.xerosync.common.Priming;
import dev.xerosync.outbox.WriteExecutor;
import dev.xerosync.queue.Redelivery;
import dev.xerosync.queue.WriteMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Runs queued write operations from the FIFO write queue. A message whose operation is not yet
 * terminal is reported as a batch item failure and comes back after the wait the executor asked
 * for; the later messages of its group in the batch fail with it, so an entity's writes never
 * overtake one another. The batch's groups (lanes of different entities) run side by side, so one
 * slow write holds back only its own lane. An unreadable message fails until it rests in the
 * dead-letter queue (an alarm watches it).
 *
 * <p>FIFO rule (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html): once
 * one message of a group fails, every later message of that group in the batch fails too.
 */
public final class WriteWorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  private static final Log LOG = Log.of(WriteWorkerHandler.class);
  static final String PRIMING_TENANT = "00000000-0000-0000-0000-000000000000";

  private final WriteExecutor executor;
  private final int maxReceives;
  private final Redelivery redelivery;

  public WriteWorkerHandler() {
    this(Environment.process());
    Priming.register(WriteWorkerHandler.class, this::prime);
  }

  public WriteWorkerHandler(Environment env) {
    this(WritebackWiring.forWorker(env), env.getInt("WRITE_MAX_RECEIVES", 1000));
  }

  public WriteWorkerHandler(WritebackWiring wiring, int maxReceives) {
    this(
        Objects.requireNonNull(
            wiring.executor(), "the worker's wiring has an executor (forWorker: secrets given)"),
        maxReceives,
        wiring.redelivery());
  }

  public WriteWorkerHandler(WriteExecutor executor, int maxReceives) {
    this(executor, maxReceives, Redelivery.NONE);
  }

  WriteWorkerHandler(WriteExecutor executor, int maxReceives, Redelivery redelivery) {
    this.executor = executor;
    this.maxReceives = maxReceives;
    this.redelivery = redelivery;
  }

  /** Runs an operation that cannot exist: JSON, the DynamoDB client and the outbox's codecs. */
  public void prime() {
    executor.run(PRIMING_TENANT, PRIMING_TENANT, false);
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    Map<String, List<SQSEvent.SQSMessage>> groups = new LinkedHashMap<>();
    for (SQSEvent.SQSMessage m : event.getRecords()) {
      String group = attribute(m, "MessageGroupId");
      groups
          .computeIfAbsent(group == null ? m.getMessageId() : group, g -> new ArrayList<>())
          .add(m);
    }
    List<SQSBatchResponse.BatchItemFailure> failures =
        java.util.Collections.synchronizedList(new ArrayList<>());
    if (groups.size() == 1) {
      runGroup(groups.values().iterator().next(), failures);
    } else {
      List<Thread> threads = new ArrayList<>();
      AtomicReference<Throwable> crash = new AtomicReference<>();
      for (List<SQSEvent.SQSMessage> group : groups.values()) {
        threads.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      try {
                        runGroup(group, failures);
                      } catch (RuntimeException | Error e) {
                        crash.compareAndSet(null, e);
                      }
                    }));
      }
      for (Thread t : threads) {
        try {
          t.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while writes ran", e);
        }
      }
      // A crash in one lane fails the whole batch, as it would if the lanes ran in one thread.
      if (crash.get() instanceof RuntimeException e) {
        throw e;
      }
      if (crash.get() instanceof Error e) {
        throw e;
      }
    }
    return SQSBatchResponse.builder().withBatchItemFailures(new ArrayList<>(failures)).build();
  }

  /** One group's messages, in order; after the first that fails, the rest fail unread. */
  private void runGroup(
      List<SQSEvent.SQSMessage> group, List<SQSBatchResponse.BatchItemFailure> failures) {
    boolean blocked = false;
    Duration comeBack = null;
    for (SQSEvent.SQSMessage m : group) {
      if (blocked) {
        failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
        if (comeBack != null) {
          // While any message of the group is out, SQS holds the whole group back: these come
          // back with the one that failed, not after the queue's visibility timeout.
          redelivery.after(m.getReceiptHandle(), comeBack);
        }
        continue;
      }
      boolean done;
      try {
        WriteMessage msg = WriteMessage.fromJson(m.getBody());
        int receives = Redelivery.receiveCount(m);
        WriteExecutor.Pass pass =
            executor.run(msg.tenantId(), msg.operationId(), receives >= maxReceives);
        done = pass instanceof WriteExecutor.Pass.Done;
        if (pass instanceof WriteExecutor.Pass.Later later) {
          LOG.info(
              "operation not finished; the queue brings it back",
              "operationId",
              msg.operationId(),
              "why",
              later.why(),
              "delayMs",
              later.delay().toMillis(),
              "receiveCount",
              receives);
          redelivery.after(m.getReceiptHandle(), later.delay());
          comeBack = later.delay();
        }
      } catch (IllegalArgumentException e) {
        LOG.warn(
            "unreadable write message; it will reach the dead-letter queue",
            "messageId",
            m.getMessageId(),
            "reason",
            e.getMessage());
        done = false;
      }
      if (!done) {
        failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
        blocked = true;
      }
    }
  }

  private static @Nullable String attribute(SQSEvent.SQSMessage m, String name) {
    return m.getAttributes() == null ? null : m.getAttributes().get(name);
  }
}
