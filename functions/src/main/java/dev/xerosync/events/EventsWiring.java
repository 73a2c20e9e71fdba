package dev.xerosync.events;

import dev.xerosync.common.AwsClients;
import dev.xerosync.common.Environment;
import dev.xerosync.notify.EventReplay;
import dev.xerosync.store.EventLog;
import java.time.Clock;

/** The events functions' collaborators, built once per container from the environment. */
final class EventsWiring {
  private EventsWiring() {}

  static EventReplay replay(Environment env) {
    return new EventReplay(
        new EventLog(AwsClients.dynamoDb(env), env.required("TABLE_NAME"), Clock.systemUTC()));
  }
}
