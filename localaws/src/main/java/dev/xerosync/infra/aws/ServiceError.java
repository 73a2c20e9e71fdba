package dev.xerosync.infra.aws;

/**
 * An AWS error as the JSON protocol carries it: the {@code __type} code and a message, with the
 * HTTP status. Messages must never include secret values; they only name secrets, versions and
 * labels.
 */
final class ServiceError extends RuntimeException {

  private final int status;
  private final String type;

  ServiceError(int status, String type, String message) {
    // No stack trace: this is the reply to a bad request, not a fault in the stand-in.
    super(message, null, false, false);
    this.status = status;
    this.type = type;
  }

  static ServiceError badRequest(String type, String message) {
    return new ServiceError(400, type, message);
  }

  int status() {
    return status;
  }

  String type() {
    return type;
  }
}
