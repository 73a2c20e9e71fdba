package dev.xerosync.bench;

import dev.xerosync.testsupport.FunctionLogFiles;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What keeps a benchmark from rotting: every {@code name: value unit} line it prints is read back,
 * and {@link #finish} exits non-zero when a figure it promised was not printed, when a value is not
 * a finite number at or above zero (the -1 of "nothing measured"), or when the benchmark reported a
 * problem (changes never seen, a wrong status). {@code .ci/run} runs every benchmark in quick mode
 * and relies on this exit code, not on the figures' size.
 */
final class Figures {
  private static final Pattern FIGURE = Pattern.compile("^([a-z0-9][a-z0-9-]*): (\\S+)(?: .*)?$");

  private final Map<String, String> printed = new LinkedHashMap<>();
  private final Set<String> required = new LinkedHashSet<>();
  private final List<String> problems = new ArrayList<>();
  private final PrintStream out;
  private final Path functionLogs;

  private Figures(OutputStream target, Path functionLogs) {
    this.functionLogs = functionLogs;
    this.out =
        new PrintStream(
            new LineReader(FunctionLogFiles.splitting(target)), true, StandardCharsets.UTF_8);
  }

  /**
   * Figures printed to {@code target} through {@link #out()}. The functions' log lines, wherever
   * they are written, go to infra/target/bench-logs/&lt;benchmark&gt;.log instead, named at the
   * end.
   */
  static Figures to(OutputStream target) {
    Class<?> benchmark =
        StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass();
    return new Figures(
        target,
        FunctionLogFiles.redirect(
            Path.of("infra", "target", "bench-logs", benchmark.getSimpleName() + ".log")));
  }

  /** Where the functions' log lines of this run go. */
  Path functionLogs() {
    return functionLogs;
  }

  PrintStream out() {
    return out;
  }

  /** Figures that must be printed before {@link #finish}. */
  synchronized void require(String... names) {
    required.addAll(List.of(names));
  }

  /** Something that makes the run's figures meaningless, whatever they say. */
  synchronized void problem(String what) {
    problems.add(what);
  }

  /**
   * Checks what was printed, says so, and exits the JVM: 0 if every required figure was printed and
   * every figure is meaningful, 1 otherwise.
   */
  void finish() {
    out.flush();
    if (FunctionLogFiles.written()) {
      out.println("# function logs: " + functionLogs);
    }
    List<String> wrong = check();
    if (wrong.isEmpty()) {
      out.println(
          "# figures: "
              + printed.size()
              + " printed, every one present and meaningful; machine "
              + loadAverage());
      System.exit(0);
    }
    wrong.forEach(w -> System.err.println("benchmark figures: " + w));
    out.println("# figures: " + wrong.size() + " problem(s), see stderr");
    System.exit(1);
  }

  /** Runs {@code body}; a benchmark that throws exits 1, after saying why. */
  void run(Body body) {
    try {
      body.run();
    } catch (Throwable t) {
      problem("the benchmark failed: " + t);
      t.printStackTrace();
    }
    finish();
  }

  interface Body {
    void run() throws Exception;
  }

  synchronized List<String> check() {
    List<String> wrong = new ArrayList<>(problems);
    for (String name : required) {
      if (!printed.containsKey(name)) {
        wrong.add(name + " was not printed");
      }
    }
    printed.forEach(
        (name, value) -> {
          if (!meaningful(value)) {
            wrong.add(name + ": " + value + " is not a measurement (a finite number >= 0)");
          }
        });
    if (printed.isEmpty()) {
      wrong.add("no figure was printed");
    }
    return wrong;
  }

  static boolean meaningful(String value) {
    String v = value.endsWith(",") ? value.substring(0, value.length() - 1) : value;
    try {
      double d = Double.parseDouble(v);
      return Double.isFinite(d) && d >= 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private synchronized void seen(String line) {
    Matcher m = FIGURE.matcher(line.strip());
    if (m.matches()) {
      printed.put(m.group(1), m.group(2));
    }
  }

  static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return "load average " + parts[0] + " " + parts[1] + " " + parts[2];
    } catch (Exception e) {
      return "load average unknown";
    }
  }

  /** Passes bytes through and hands every complete line to {@link #seen}. */
  private final class LineReader extends OutputStream {
    private final OutputStream target;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineReader(OutputStream target) {
      this.target = target;
    }

    @Override
    public synchronized void write(int b) throws java.io.IOException {
      target.write(b);
      if (b == '\n') {
        seen(line.toString(StandardCharsets.UTF_8));
        line.reset();
      } else {
        line.write(b);
      }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
      target.write(b, off, len);
      for (int i = off; i < off + len; i++) {
        if (b[i] == '\n') {
          seen(line.toString(StandardCharsets.UTF_8));
          line.reset();
        } else {
          line.write(b[i]);
        }
      }
    }

    @Override
    public void flush() throws java.io.IOException {
      target.flush();
    }
  }
}
