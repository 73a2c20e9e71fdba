package dev.xerosync.infra.aws.dynamodb;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An error as DynamoDB's JSON protocol returns it: {@code __type}, message, HTTP status, and for
 * some errors extra members (the item of a failed condition, a transaction's cancellation reasons).
 */
public final class DynamoError extends RuntimeException {

  private final int status;
  private final String type;
  private final ObjectNode extra;

  public DynamoError(String type, String message) {
    this(400, type, message, null);
  }

  DynamoError(int status, String type, String message, ObjectNode extra) {
    // No stack trace: this is the reply to a request, not a fault in the stand-in.
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.extra = extra;
  }

  static DynamoError validation(String message) {
    return new DynamoError("ValidationException", message);
  }

  static DynamoError invalidParameter(String message) {
    return validation("One or more parameter values were invalid: " + message);
  }

  static DynamoError notFound() {
    return new DynamoError("ResourceNotFoundException", "Requested resource not found");
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  /** Members to add to the error body, or null. */
  public ObjectNode extra() {
    return extra;
  }
}
