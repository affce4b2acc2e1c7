package dev.hoard.demo.internal;

/**
 * A handler's answer when it is not a plain 200: the status and the body to write as JSON
 * ({@code null} for none).
 */
record Reply(int status, Object body) {

  static Reply created(Object body) {
    return new Reply(201, body);
  }

  static Reply noContent() {
    return new Reply(204, null);
  }
}
