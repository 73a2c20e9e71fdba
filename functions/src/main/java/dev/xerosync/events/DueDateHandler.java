package dev.xerosync.events;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.xerosync.common.Environment;
import dev.xerosync.common.Priming;
import dev.xerosync.notify.DueDateEvents;
import java.time.Clock;

/**
 * Every 15 minutes: {@code invoice.overdue} and {@code invoice.due_soon} for the invoices that
 * crossed their line since the last run ({@link DueDateEvents}).
 */
public final class DueDateHandler implements RequestHandler<ScheduledEvent, String> {
  private final DueDateEvents events;
  private final EventsWiring.Priming priming;

  public DueDateHandler() {
    this(Environment.process());
    Priming.register(DueDateHandler.class, this::prime);
  }

  public DueDateHandler(Environment env) {
    this(env, env.clock());
  }

  /** The local stack's tests move the clock across due dates; nothing else differs. */
  public DueDateHandler(Environment env, Clock clock) {
    this(EventsWiring.dueDates(env, clock), EventsWiring.priming(env));
  }

  DueDateHandler(DueDateEvents events, EventsWiring.Priming priming) {
    this.events = events;
    this.priming = priming;
  }

  /** Reads the index for a window in which nothing is due and logs nothing: warm, no effects. */
  public void prime() {
    priming.run();
  }

  @Override
  public String handleRequest(ScheduledEvent event, Context context) {
    return "logged " + events.run();
  }
}
