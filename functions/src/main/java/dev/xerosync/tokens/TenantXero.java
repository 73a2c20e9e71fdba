package dev.xerosync.tokens;

import dev.xerosync.xero.XeroApiException;

/**
 * The one way sync and writes reach Xero for a tenant: the tenant's access token, replaced once
 * when Xero refuses it as expired. Retrying on 5xx or 429 is the caller's policy (a sync read may
 * retry at once; a write reconciles first), so it is not done here.
 */
public final class TenantXero {
  /** Where tokens come from: {@link AccessTokens} in production, a fake in unit tests. */
  public interface Tokens {
    String accessToken(String tenantId) throws TokenRefreshException;

    /** A token newer than {@code rejectedToken}, refreshing unless another caller already has. */
    String replaceRejected(String tenantId, String rejectedToken) throws TokenRefreshException;
  }

  /** One request to Xero with the given access token. */
  @FunctionalInterface
  public interface Call<T> {
    T apply(String accessToken) throws XeroApiException;
  }

  private final Tokens tokens;

  public TenantXero(Tokens tokens) {
    this.tokens = tokens;
  }

  /**
   * Makes {@code call} with the tenant's token and, when Xero answers 401, once more with a fresh
   * one. Xero refuses a 401 before it saves anything, so repeating a write with the same
   * idempotency key is safe. {@code onRequest} runs before each request sent, for counting.
   */
  public <T> T call(String tenantId, Call<T> call, Runnable onRequest)
      throws XeroApiException, TokenRefreshException {
    String token = tokens.accessToken(tenantId);
    onRequest.run();
    try {
      return call.apply(token);
    } catch (XeroApiException e) {
      if (!e.isTokenExpired()) {
        throw e;
      }
      String fresh = tokens.replaceRejected(tenantId, token);
      onRequest.run();
      return call.apply(fresh);
    }
  }

  public <T> T call(String tenantId, Call<T> call) throws XeroApiException, TokenRefreshException {
    return call(tenantId, call, () -> {});
  }
}
