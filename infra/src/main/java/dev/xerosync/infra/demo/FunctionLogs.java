package dev.xerosync.infra.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.common.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Where the functions' output goes under {@code ./dev up}: every line they and the local hosts
 * write to stdout or stderr (CloudWatch's JSON lines in AWS) goes to a log file, and with {@code
 * --verbose} also to the console as a readable one-liner. The demo itself writes to the console it
 * captured before the redirect, so the console shows the demo, not JSON.
 */
final class FunctionLogs {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
  private static final Set<String> HEADER = Set.of("ts", "level", "logger", "message");

  private final PrintStream file;
  private final PrintStream console;

  private FunctionLogs(PrintStream file, PrintStream console) {
    this.file = file;
    this.console = console;
  }

  /**
   * Sends System.out and System.err to {@code logFile} (and, if {@code echo} is not null,
   * one-liners to it) from now on.
   */
  static void redirect(Path logFile, PrintStream echo) throws IOException {
    Files.createDirectories(logFile.toAbsolutePath().getParent());
    PrintStream file =
        new PrintStream(Files.newOutputStream(logFile), true, StandardCharsets.UTF_8);
    FunctionLogs logs = new FunctionLogs(file, echo);
    System.setOut(new PrintStream(logs.lines(), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(logs.lines(), true, StandardCharsets.UTF_8));
  }

  /** A stream that hands each complete line to {@link #line}; one per redirected stream. */
  private OutputStream lines() {
    return new OutputStream() {
      private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

      @Override
      public synchronized void write(int b) {
        if (b == '\n') {
          line(pending.toString(StandardCharsets.UTF_8));
          pending.reset();
        } else {
          pending.write(b);
        }
      }
    };
  }

  private synchronized void line(String line) {
    file.println(line);
    if (console != null) {
      console.println(readable(line));
    }
  }

  /**
   * A log line as {@code time LEVEL logger message key=value…}, a metric line as {@code metric
   * name=value…}; anything that is not JSON as it came.
   */
  static String readable(String line) {
    if (!line.startsWith("{")) {
      return line;
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(line);
    } catch (IOException e) {
      return line;
    }
    StringBuilder out = new StringBuilder();
    if (node.has("_aws")) {
      out.append(TIME.format(Instant.ofEpochMilli(node.path("_aws").path("Timestamp").asLong())))
          .append(" METRIC");
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        var field = it.next();
        if (!field.getKey().equals("_aws")) {
          out.append(' ').append(field.getKey()).append('=').append(field.getValue().asText());
        }
      }
      return out.toString();
    }
    String ts = node.path("ts").asText("");
    try {
      out.append(TIME.format(Instant.parse(ts)));
    } catch (RuntimeException e) {
      out.append(ts);
    }
    out.append(' ')
        .append(String.format("%-5s", node.path("level").asText("")))
        .append(' ')
        .append(node.path("logger").asText(""))
        .append(": ")
        .append(node.path("message").asText(""));
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      var field = it.next();
      if (!HEADER.contains(field.getKey())) {
        out.append(' ').append(field.getKey()).append('=').append(field.getValue().asText());
      }
    }
    return out.toString();
  }
}
