package dev.xerosync.sync;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.xerosync.common.Environment;
import dev.xerosync.common.Log;
import dev.xerosync.common.Priming;
import dev.xerosync.queue.DeadLetterRedrive;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Invoked by an operator, never by an event: {@code {"queue": "sync" | "delay", "max": 100}} moves
 * up to {@code max} dead-lettered messages back to their source queue and answers how many moved.
 */
public final class RedriveHandler
    implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  private static final Log LOG = Log.of(RedriveHandler.class);
  static final int DEFAULT_MAX = 100;

  private final DeadLetterRedrive redrive;
  private final Map<String, String[]> queues;

  public RedriveHandler() {
    this(Environment.process());
    Priming.register(RedriveHandler.class, this::prime);
  }

  /** Reads a request and warms the SQS client with a batch SQS refuses; no message moves. */
  public void prime() {
    handleRequest(Map.of("queue", "priming-no-such-queue"), null);
    redrive.prime(Objects.requireNonNull(queues.get("sync"), "the sync queue is always wired")[1]);
  }

  /** From the function's environment: the process's in Lambda, the local host's locally. */
  public RedriveHandler(Environment env) {
    this(SyncWiring.Redrives.of(env));
  }

  public RedriveHandler(SyncWiring.Redrives w) {
    this(w.redrive(), w.queues());
  }

  public RedriveHandler(DeadLetterRedrive redrive, Map<String, String[]> queues) {
    this.redrive = redrive;
    this.queues = queues;
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> input, @Nullable Context context) {
    Object queue = input == null ? null : input.getOrDefault("queue", "sync");
    String[] pair = queues.get(String.valueOf(queue));
    if (pair == null) {
      return Map.of("error", "queue must be one of " + queues.keySet() + ", not '" + queue + "'");
    }
    int max;
    try {
      max =
          input.containsKey("max")
              ? Integer.parseInt(String.valueOf(input.get("max")))
              : DEFAULT_MAX;
    } catch (NumberFormatException e) {
      return Map.of("error", "max must be a whole number, not '" + input.get("max") + "'");
    }
    if (max < 1 || max > 10_000) {
      return Map.of("error", "max must be from 1 to 10000, not " + max);
    }
    int moved = redrive.redrive(pair[0], pair[1], max);
    LOG.info("dead letters redriven", "queue", queue, "moved", moved);
    return Map.of("queue", queue, "redriven", moved);
  }
}
