package org.arbor.jobs;

/** A job cannot proceed for a reason the user can fix (existing output, missing input). */
public final class JobException extends RuntimeException {
  public JobException(String message) {
    super(message);
  }

  public JobException(String message, Throwable cause) {
    super(message, cause);
  }
}
