package dev.xerosync.query;

/**
 * A request that is refused with an HTTP status other than 400; the detail says what to do about
 * it.
 */
final class ApiProblem extends Exception {
  final int status;
  final String title;

  ApiProblem(int status, String title, String detail) {
    super(detail);
    this.status = status;
    this.title = title;
  }
}
