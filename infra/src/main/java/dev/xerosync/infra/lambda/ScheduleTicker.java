package dev.xerosync.infra.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.joda.time.DateTime;

/**
 * Fires scheduled functions as EventBridge would, with a ScheduledEvent. Rates come from the
 * template's {@code rate(...)} expressions; a speed-up factor lets the demo tick minutes as
 * seconds.
 */
public final class ScheduleTicker implements AutoCloseable {
  /** One schedule of a function. */
  public record Schedule(
      String functionName,
      String ruleName,
      Duration rate,
      Duration functionTimeout,
      RequestHandler<ScheduledEvent, ?> handler) {}

  private static final Pattern RATE =
      Pattern.compile("^rate\\((\\d+)\\s+(minute|minutes|hour|hours|day|days)\\)$");

  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "schedule-ticker");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, Schedule> byFunction = new ConcurrentHashMap<>();

  public ScheduleTicker(List<Schedule> schedules) {
    schedules.forEach(s -> byFunction.put(s.functionName(), s));
  }

  /** Parses an EventBridge rate expression. */
  public static Duration parseRate(String expression) {
    Matcher m = RATE.matcher(expression.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not an EventBridge rate expression: " + expression);
    }
    long n = Long.parseLong(m.group(1));
    if (n <= 0) {
      throw new IllegalArgumentException("a rate must be positive: " + expression);
    }
    return switch (m.group(2)) {
      case "minute", "minutes" -> Duration.ofMinutes(n);
      case "hour", "hours" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  /** Starts ticking; {@code speedUp} of 60 fires a 5-minute schedule every 5 seconds. */
  public ScheduleTicker start(double speedUp) {
    for (Schedule s : byFunction.values()) {
      long periodMs = Math.max(1, (long) (s.rate().toMillis() / speedUp));
      executor.scheduleAtFixedRate(() -> fireQuietly(s), periodMs, periodMs, TimeUnit.MILLISECONDS);
    }
    return this;
  }

  /** Fires a function's schedule now, as if its time had come. */
  public Object fire(String functionName) {
    Schedule s = byFunction.get(functionName);
    if (s == null) {
      throw new IllegalArgumentException("no scheduled function " + functionName);
    }
    ScheduledEvent event = new ScheduledEvent();
    event.setId(UUID.randomUUID().toString());
    event.setDetailType("Scheduled Event");
    event.setSource("aws.events");
    event.setAccount("000000000000");
    event.setRegion("us-east-1");
    event.setTime(new DateTime(Instant.now().toEpochMilli()));
    event.setResources(List.of("arn:aws:events:us-east-1:000000000000:rule/" + s.ruleName()));
    event.setDetail(Map.of());
    return s.handler()
        .handleRequest(event, new LocalContext(s.functionName(), s.functionTimeout()));
  }

  private void fireQuietly(Schedule s) {
    try {
      fire(s.functionName());
    } catch (RuntimeException e) {
      System.err.println("[schedule] " + s.functionName() + " failed: " + e);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
