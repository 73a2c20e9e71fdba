package dev.xerosync.outbox;

/**
 * Where an operation is. SUCCEEDED, FAILED and NEEDS_ATTENTION are terminal: nothing moves them.
 */
public enum OperationState {
  QUEUED,
  SENDING,
  SUCCEEDED,
  FAILED,
  NEEDS_ATTENTION;

  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED || this == NEEDS_ATTENTION;
  }
}
