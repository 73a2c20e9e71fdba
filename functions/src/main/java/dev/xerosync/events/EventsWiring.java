package dev.xerosync.events;

import dev.xerosync.common.AwsClients;
import dev.xerosync.common.Environment;
import dev.xerosync.notify.DueDateEvents;
import dev.xerosync.notify.EventPublishers;
import dev.xerosync.notify.EventRelay;
import dev.xerosync.notify.EventReplay;
import dev.xerosync.store.DueDateIndex;
import dev.xerosync.store.EventLog;
import dev.xerosync.store.InvoiceStore;
import java.time.Clock;
import java.time.Instant;

/** The events functions' collaborators, built once per container from the environment. */
final class EventsWiring {
  private EventsWiring() {}

  static EventReplay replay(Environment env) {
    return new EventReplay(
        new EventLog(AwsClients.dynamoDb(env), env.required("TABLE_NAME"), Clock.systemUTC()));
  }

  /** Days before the due date that {@code invoice.due_soon} is sent, for the whole deployment. */
  static final String DUE_SOON_DAYS = "DUE_SOON_DAYS";

  static DueDateEvents dueDates(Environment env) {
    var dynamo = AwsClients.dynamoDb(env);
    String table = env.required("TABLE_NAME");
    Clock clock = Clock.systemUTC();
    EventLog log = new EventLog(dynamo, table, clock);
    return new DueDateEvents(
        new DueDateIndex(dynamo, table),
        new InvoiceStore(dynamo, table, clock),
        log,
        new EventRelay(log, EventPublishers.deployed(env)),
        env.getInt(DUE_SOON_DAYS, 3),
        clock);
  }

  /** What priming runs: one index read of an hour long past, which names no invoice. */
  @FunctionalInterface
  interface Priming {
    void run();
  }

  static Priming priming(Environment env) {
    DueDateIndex index = new DueDateIndex(AwsClients.dynamoDb(env), env.required("TABLE_NAME"));
    return () -> index.between(Instant.EPOCH, Instant.EPOCH.plusSeconds(1));
  }
}
