package dev.xerosync.outbox;

/**
 * Where an operation goes next: onto the write queue when accepted, and out as a signed
 * notification when it reaches a terminal state.
 */
public interface OperationEvents {
  /** Queues the operation for the write worker; throws if it could not be queued. */
  void dispatch(Operation operation);

  /** Tells the product about a terminal state; must not throw. */
  void finished(Operation operation);
}
