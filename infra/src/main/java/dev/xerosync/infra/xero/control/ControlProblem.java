package dev.xerosync.infra.xero.control;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.infra.xero.http.SimResponse;
import dev.xerosync.infra.xero.http.XeroJson;

/**
 * A control request refused, answered as an RFC 9457 problem ({@code application/problem+json}).
 * The control API is ours, not Xero's, so it speaks the standard shape rather than Xero's.
 */
final class ControlProblem extends RuntimeException {
  private final int status;
  private final String title;

  private ControlProblem(int status, String title, String detail) {
    super(detail, null, false, false);
    this.status = status;
    this.title = title;
  }

  static ControlProblem badRequest(String detail) {
    return new ControlProblem(400, "Bad Request", detail);
  }

  static ControlProblem notFound(String detail) {
    return new ControlProblem(404, "Not Found", detail);
  }

  /** Well-formed, but the organisation's books refuse it (Xero's own words as the detail). */
  static ControlProblem refused(String detail) {
    return new ControlProblem(422, "Unprocessable Content", detail);
  }

  /** The simulator is not in a state to do it (no webhook URL, say). */
  static ControlProblem conflict(String detail) {
    return new ControlProblem(409, "Conflict", detail);
  }

  static ControlProblem unsupportedMediaType(String detail) {
    return new ControlProblem(415, "Unsupported Media Type", detail);
  }

  int status() {
    return status;
  }

  SimResponse response() {
    return response(status, title, getMessage());
  }

  static SimResponse response(int status, String title, String detail) {
    ObjectNode n =
        XeroJson.object()
            .put("type", "about:blank")
            .put("title", title)
            .put("status", status)
            .put("detail", detail);
    SimResponse r = SimResponse.json(status, n);
    r.headers().put("Content-Type", "application/problem+json");
    return r;
  }
}
