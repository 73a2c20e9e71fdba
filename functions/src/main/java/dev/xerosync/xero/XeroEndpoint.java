package dev.xerosync.xero;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Xero's Accounting API as the write path uses it, one request per call with a given token: {@link
 * XeroWrites} over HTTP in production, a fake Xero in unit tests (one that can save and then lose
 * the answer, time out, fail with a 5xx, or turn a request away with a 429).
 */
public interface XeroEndpoint {
  /** A GET for reconciliation and reference data. */
  JsonNode read(String pathAndQuery, String tenantId, String accessToken) throws XeroApiException;

  /** Up to 50 elements in one request, each with its own outcome, in the order sent. */
  List<XeroWrites.Outcome> writeAll(
      String method,
      String path,
      String collection,
      List<? extends JsonNode> elements,
      String tenantId,
      String accessToken,
      String idempotencyKey)
      throws XeroApiException;
}
