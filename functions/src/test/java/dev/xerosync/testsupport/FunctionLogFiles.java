package dev.xerosync.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Keeps the functions' logs out of the console of tests and benchmarks, as {@code ./dev up} does
 * (infra's FunctionLogs): the lines a function or a local Lambda host writes to stdout or stderr
 * (Log's and Metrics' JSON objects, which CloudWatch gets in AWS, and the hosts' "[api]", "[sqs]"
 * and "[schedule]" reports) go to a file; every other line reaches the console as before.
 *
 * <p>Tests: one file per test class, target/function-logs/&lt;class&gt;.log, and a failing test
 * names its class's file on the console. JUnit loads this listener in every test JVM of functions
 * and infra (META-INF/services; infra through functions' test-jar). Benchmarks call {@link
 * #redirect} with a file of their own.
 */
public final class FunctionLogFiles implements TestExecutionListener {
  private static final Path TEST_LOGS = Path.of("target", "function-logs");
  private static final Set<String> HOST_PREFIXES = Set.of("[api] ", "[sqs] ", "[schedule] ");

  private static PrintStream console;
  private static Path current;
  private static PrintStream file;
  private static final Set<Path> opened = new HashSet<>();
  private static final Set<Path> named = new HashSet<>();

  /** For JUnit's ServiceLoader. */
  public FunctionLogFiles() {}

  @Override
  public void testPlanExecutionStarted(TestPlan testPlan) {
    install();
  }

  @Override
  public void executionStarted(TestIdentifier test) {
    test.getSource()
        .filter(ClassSource.class::isInstance)
        .map(source -> ((ClassSource) source).getClassName())
        .ifPresent(name -> writeTo(TEST_LOGS.resolve(name + ".log")));
  }

  @Override
  public void executionFinished(TestIdentifier test, TestExecutionResult result) {
    if (result.getStatus() == TestExecutionResult.Status.FAILED) {
      nameTheFile();
    }
  }

  /**
   * From now on, function log lines written to System.out and System.err go to {@code logFile}
   * (created at the first one); returns its absolute path.
   */
  public static synchronized Path redirect(Path logFile) {
    install();
    writeTo(logFile);
    return current;
  }

  /**
   * A stream for a console of one's own (a benchmark's figures): every line reaches {@code target}
   * except function log lines, which go to the current file.
   */
  public static OutputStream splitting(OutputStream target) {
    return new Lines(target);
  }

  /** Whether the current file got any line. */
  public static synchronized boolean written() {
    return current != null && opened.contains(current);
  }

  static boolean isFunctionLog(String line) {
    return line.startsWith("{") || HOST_PREFIXES.stream().anyMatch(line::startsWith);
  }

  private static synchronized void install() {
    if (console == null) {
      console = System.out;
      System.setOut(new PrintStream(new Lines(System.out), true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(new Lines(System.err), true, StandardCharsets.UTF_8));
    }
  }

  private static synchronized void writeTo(Path logFile) {
    Path next = logFile.toAbsolutePath().normalize();
    if (next.equals(current)) {
      return;
    }
    if (file != null) {
      file.close();
      file = null;
    }
    current = next;
  }

  private static synchronized void write(String line) {
    if (current == null) {
      current = TEST_LOGS.resolve("unattributed.log").toAbsolutePath();
    }
    if (file == null) {
      try {
        Files.createDirectories(current.getParent());
        // A fresh file per run; a class seen again in the same JVM appends.
        var mode =
            opened.add(current) ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND;
        file =
            new PrintStream(
                Files.newOutputStream(
                    current, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode),
                true,
                StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot write function logs to " + current, e);
      }
    }
    file.println(line);
  }

  private static synchronized void nameTheFile() {
    if (current != null && named.add(current) && console != null) {
      console.println(
          written()
              ? "Function logs of this test class: " + current
              : "No function log lines were written by this test class.");
    }
  }

  /** Splits a stream into lines: function log lines to the file, every other line through. */
  private static final class Lines extends OutputStream {
    private final OutputStream through;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean passingThrough;

    Lines(OutputStream through) {
      this.through = through;
    }

    @Override
    public synchronized void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
      int start = offset;
      for (int i = offset; i < offset + length; i++) {
        if (bytes[i] == '\n') {
          pending.write(bytes, start, i + 1 - start);
          line();
          start = i + 1;
        }
      }
      pending.write(bytes, start, offset + length - start);
    }

    private void line() throws IOException {
      byte[] bytes = pending.toByteArray();
      pending.reset();
      String text = new String(bytes, StandardCharsets.UTF_8).stripTrailing();
      if (!passingThrough && isFunctionLog(text)) {
        FunctionLogFiles.write(text);
      } else {
        through.write(bytes);
      }
      passingThrough = false;
    }

    /** A partial line that cannot be a function's (a prompt, progress dots) is shown at once. */
    @Override
    public synchronized void flush() throws IOException {
      if (pending.size() > 0 && (passingThrough || !couldBeFunctionLog())) {
        through.write(pending.toByteArray());
        pending.reset();
        passingThrough = true;
      }
      through.flush();
    }

    private boolean couldBeFunctionLog() {
      byte first = pending.toByteArray()[0];
      return first == '{' || first == '[';
    }
  }
}
