package dev.xerosync.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.xero.XeroApiException;
import dev.xerosync.xero.XeroWrites;
import java.util.List;

/**
 * Xero's Accounting API as the write path uses it, one request per call with a given token: {@link
 * XeroWrites} over HTTP in production, a fake Xero in unit tests (one that can save and then lose
 * the answer, time out, fail with a 5xx, or turn a request away with a 429).
 */
interface XeroEndpoint {
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

  static XeroEndpoint of(XeroWrites http) {
    return new XeroEndpoint() {
      @Override
      public JsonNode read(String pathAndQuery, String tenantId, String accessToken)
          throws XeroApiException {
        return http.read(pathAndQuery, tenantId, accessToken);
      }

      @Override
      public List<XeroWrites.Outcome> writeAll(
          String method,
          String path,
          String collection,
          List<? extends JsonNode> elements,
          String tenantId,
          String accessToken,
          String idempotencyKey)
          throws XeroApiException {
        return http.writeAll(
            method, path, collection, elements, tenantId, accessToken, idempotencyKey);
      }
    };
  }
}
