package io.jeras.input;

/**
 * Bytes from outside (a file, an archive entry, a request) that Jeras cannot read: the message
 * names where they came from and what was wrong with them. Every reader of outside bytes in
 * Jeras either returns what it read or throws this exception (or a subclass); it is an {@link
 * IllegalArgumentException} because the input, not the program, is at fault.
 */
public class InvalidInputException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final String problem;

  /** {@code source} names the input (a file's path, "the request"), {@code problem} the fault. */
  public InvalidInputException(String source, String problem) {
    this(source, problem, null);
  }

  /** As {@link #InvalidInputException(String, String)}, with the exception that revealed it. */
  public InvalidInputException(String source, String problem, Throwable cause) {
    super(source + ": " + problem, cause);
    this.source = source;
    this.problem = problem;
  }

  /**
   * With a message worded whole (for messages that already name {@code source}, or that list
   * several problems); it must still name {@code source}.
   */
  public InvalidInputException(String source, String problem, String message,
      Throwable cause) {
    super(message, cause);
    this.source = source;
    this.problem = problem;
  }

  /** Where the bytes came from: a file's path, an archive entry, "the request". */
  public String source() {
    return source;
  }

  /** What was wrong with them. */
  public String problem() {
    return problem;
  }
}
