package dev.xerosync.writeback;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.xerosync.common.Environment;
import dev.xerosync.common.Log;
import dev.xerosync.common.Priming;
import dev.xerosync.outbox.WriteExecutor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs queued write operations from the FIFO write queue. A message whose operation is not yet
 * terminal is reported as a batch item failure, so SQS brings it back; the tenant's later messages
 * in the batch fail with it, so its writes never overtake one another. An unreadable message fails
 * until it rests in the dead-letter queue (an alarm watches it).
 *
 * <p>FIFO rule (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html): once
 * one message of a group fails, every later message of that group in the batch fails too.
 */
public final class WriteWorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  private static final Log LOG = Log.of(WriteWorkerHandler.class);
  static final String PRIMING_TENANT = "00000000-0000-0000-0000-000000000000";

  private final WriteExecutor executor;
  private final int maxReceives;

  public WriteWorkerHandler() {
    this(Environment.process());
    Priming.register(WriteWorkerHandler.class, this::prime);
  }

  public WriteWorkerHandler(Environment env) {
    this(WritebackWiring.forWorker(env).executor(), env.getInt("WRITE_MAX_RECEIVES", 10));
  }

  public WriteWorkerHandler(WriteExecutor executor, int maxReceives) {
    this.executor = executor;
    this.maxReceives = maxReceives;
  }

  /** Runs an operation that cannot exist: JSON, the DynamoDB client and the outbox's codecs. */
  public void prime() {
    executor.run(PRIMING_TENANT, PRIMING_TENANT, false);
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    Set<String> blockedGroups = new HashSet<>();
    for (SQSEvent.SQSMessage m : event.getRecords()) {
      String group = attribute(m, "MessageGroupId");
      if (group != null && blockedGroups.contains(group)) {
        failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
        continue;
      }
      boolean done;
      try {
        WriteMessage msg = WriteMessage.fromJson(m.getBody());
        int receives = receiveCount(m);
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
              "receiveCount",
              receives);
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
        if (group != null) {
          blockedGroups.add(group);
        }
      }
    }
    return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
  }

  private static String attribute(SQSEvent.SQSMessage m, String name) {
    return m.getAttributes() == null ? null : m.getAttributes().get(name);
  }

  private static int receiveCount(SQSEvent.SQSMessage m) {
    String v = attribute(m, "ApproximateReceiveCount");
    try {
      return v == null ? 1 : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      return 1;
    }
  }
}
