package dev.xerosync.outbox;

/**
 * The tenant's access token for Xero, and a fresh one after Xero refused it. The token layer
 * implements this; the outbox only asks.
 */
public interface XeroAccess {
  String accessToken(String tenantId) throws NoAccessException;

  String replaceRejected(String tenantId, String rejectedToken) throws NoAccessException;

  /**
   * No token: permanently (the tenant's admin must reconnect), or for now (the identity service
   * could not be reached).
   */
  final class NoAccessException extends Exception {
    private final boolean permanent;

    public NoAccessException(String message, boolean permanent) {
      super(message);
      this.permanent = permanent;
    }

    public boolean permanent() {
      return permanent;
    }
  }
}
