package dev.xerosync.query;

/** A request parameter that is wrong; the message says what is wrong and how to fix it. */
final class BadRequest extends Exception {
  BadRequest(String message) {
    super(message);
  }
}
