package dev.xerosync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Json;
import dev.xerosync.infra.lambda.LocalStack;
import dev.xerosync.infra.lambda.SqsEventSource;
import dev.xerosync.infra.xero.SimOrganisation;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ./dev bench ColdStartBenchmark [reps] [quick]: cold starts of every function, each in a fresh JVM
 * as Lambda starts one, from the deployment jar, with the template's JAVA_TOOL_OPTIONS, handling a
 * sample event against the local stand-ins (embedded DynamoDB, SQS, Secrets Manager and the Xero
 * simulator, started here and passed to the child through the AWS_ENDPOINT_URL_* variables). A bare
 * Java handler measured the same way is the baseline.
 *
 * <p>Every cell (function, flags, mode) runs once per round and the rounds repeat, so a busy
 * machine slows all cells alike. Wall-clock figures include waiting for the CPU; the cpu figures
 * (all threads of the child JVM, from /proc) are what a busy machine disturbs least, and Lambda's
 * share of a vCPU at 1024 MB (about 0.6) makes them the better guide. Figures, each the median of
 * [reps] JVMs (default 5):
 *
 * <ul>
 *   <li>{@code coldstart-<fn>-init-ms}: JVM launch to handler constructed (Lambda's init phase);
 *   <li>{@code coldstart-<fn>-ms}: JVM launch to the first event handled, without SnapStart;
 *   <li>{@code coldstart-<fn>-ratio}: that over the bare handler's;
 *   <li>{@code snapstart-<fn>-first-event-ms}: after the priming hooks ran (what SnapStart
 *       snapshots), to the first event handled: the part of a SnapStart cold start that restore
 *       does not remove;
 *   <li>{@code artifact-<name>-mb}: the deployed jar.
 * </ul>
 *
 * It also compares JVM flags and the SDK's HTTP clients (UrlConnection, Apache 5), which is how the
 * template's JAVA_TOOL_OPTIONS and the UrlConnection client were chosen. CRT is not measured: its
 * artifact does not resolve from the Maven mirror this project builds with.
 */
public final class ColdStartBenchmark {
  private static final Path JAR = Path.of("functions/target/functions-0.1.0-SNAPSHOT-lambda.jar");
  private static final String SAMPLE_WEBHOOK_KEY = "sample-webhook-key-for-events-only";
  private static final Pattern BENCH =
      Pattern.compile(
          "BENCH main=(\\d+) constructed=(\\d+) restored=(\\d+) handled=(\\d+) cpu=(-?\\d+),(-?\\d+),(-?\\d+) result=(.*)");

  record Target(String name, String logicalId, String handlerClass, String kind, Path event) {}

  record Run(
      long initMs,
      long firstEventMs,
      long afterPrimeMs,
      long initCpuMs,
      long firstEventCpuMs,
      long afterPrimeCpuMs,
      String result) {}

  public static void main(String[] args) throws Exception {
    List<String> rest = new ArrayList<>(List.of(args));
    // Quick: one JVM per cell and the template's flags only (no comparison of flags).
    boolean quick = rest.remove("quick");
    int reps = !rest.isEmpty() ? Integer.parseInt(rest.get(0)) : quick ? 1 : 5;
    Figures figures = Figures.to(System.out);
    System.setOut(figures.out());
    figures.require("coldstart-baseline-ms", "artifact-functions-lambda-mb");
    for (String fn : List.of("webhook", "worker", "query", "delayed", "reconcile")) {
      figures.require("coldstart-" + fn + "-ms", "snapstart-" + fn + "-first-event-ms");
    }
    figures.run(() -> measure(reps, quick));
  }

  static void measure(int reps, boolean quick) throws Exception {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR + " is missing; ./dev bench builds it");
    }
    Path work = Files.createTempDirectory("coldstart");
    String childClasspath = childClasspath(work);
    String templateFlags = templateJavaToolOptions();

    try (LocalStack stack = LocalStack.start(LocalStack.Options.defaults())) {
      SimOrganisation org = stack.xero().createOrganisation("Cold Start Ltd");
      String contact = org.createContact("Bench Customer");
      String invoice =
          org.createAuthorisedInvoice(
              contact,
              LocalDate.now().minusDays(1),
              LocalDate.now().plusDays(29),
              new BigDecimal("120.00"));
      stack.connect(org);
      awaitSynced(stack, org.tenantId(), invoice);
      // From here on only the child JVMs work; the in-process pollers would compete for the CPU.
      stack.eventSources().forEach(SqsEventSource::close);

      List<Target> targets =
          List.of(
              new Target(
                  "baseline",
                  "WebhookFunction",
                  BareHandler.class.getName(),
                  "api",
                  Path.of("events/webhook-signed.json")),
              new Target(
                  "webhook",
                  "WebhookFunction",
                  "dev.xerosync.webhook.WebhookHandler",
                  "api",
                  Path.of("events/webhook-signed.json")),
              new Target(
                  "worker",
                  "SyncWorkerFunction",
                  "dev.xerosync.sync.SyncWorkerHandler",
                  "sqs",
                  workerEvent(work, org.tenantId(), invoice)),
              new Target(
                  "query",
                  "QueryFunction",
                  "dev.xerosync.query.QueryHandler",
                  "api",
                  queryEvent(work, org.tenantId(), contact)),
              new Target(
                  "delayed",
                  "DelayedSyncFunction",
                  "dev.xerosync.sync.DelayedSyncHandler",
                  "sqs",
                  Path.of("events/delayed-sync-batch.json")),
              new Target(
                  "reconcile",
                  "ReconcileFunction",
                  "dev.xerosync.sync.ReconcileHandler",
                  "scheduled",
                  Path.of("events/reconcile-scheduled.json")));

      String cp = childClasspath;
      String probeCp = childClasspath + File.pathSeparator + apache5Classpath();
      // The flags compared with the JVM's defaults; quick measures the template's flags alone.
      Map<String, String> variants = new LinkedHashMap<>();
      if (!quick) {
        variants.put("jvm-default", "");
        variants.put("c1-only", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
        variants.put(
            "c1-serialgc", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
      }

      // Every cell once per round, rounds repeated: a busy neighbour slows all cells alike, not
      // one.
      Map<String, Cell> cells = new LinkedHashMap<>();
      for (var v : variants.entrySet()) {
        for (Target t : targets.subList(0, 4)) {
          cells.put(
              v.getKey() + "/" + t.name() + "/cold",
              new Cell(t, v.getValue(), "cold", cp, childArgs(t, "cold")));
        }
      }
      for (Target t : targets) {
        cells.putIfAbsent(
            "template/" + t.name() + "/cold",
            new Cell(t, templateFlags, "cold", cp, childArgs(t, "cold")));
        cells.put(
            "template/" + t.name() + "/primed",
            new Cell(t, templateFlags, "primed", cp, childArgs(t, "primed")));
      }
      for (String client : List.of("urlconnection", "apache5")) {
        Target probe =
            new Target("probe", "WebhookFunction", HttpClientProbe.class.getName(), client, null);
        cells.put(
            "http/" + client,
            new Cell(
                probe,
                templateFlags,
                "cold",
                probeCp,
                List.of(HttpClientProbe.class.getName(), client)));
      }
      String loadBefore = loadAverage();
      Map<String, List<Run>> runs = new LinkedHashMap<>();
      for (int round = 0; round < reps; round++) {
        for (var cell : cells.entrySet()) {
          Cell c = cell.getValue();
          runs.computeIfAbsent(cell.getKey(), k -> new ArrayList<>())
              .add(launch(stack, c.target(), c.flags(), c.mode(), c.classpath(), c.args()));
        }
      }
      Map<String, Run> m = new LinkedHashMap<>();
      runs.forEach((k, v) -> m.put(k, medianOf(v)));

      System.out.println(
          "# cold starts: median of "
              + reps
              + " JVMs per cell, interleaved; java "
              + Runtime.version()
              + ", "
              + System.getProperty("os.arch")
              + ", "
              + Runtime.getRuntime().availableProcessors()
              + " cores; load average "
              + loadBefore
              + " before, "
              + loadAverage()
              + " after");
      System.out.println(
          "# wall ms suffers from other work on this machine; cpu ms (all JVM threads) does much less");
      System.out.println("# JAVA_TOOL_OPTIONS (template): " + templateFlags);
      System.out.println();
      if (!variants.isEmpty()) {
        System.out.printf(
            "%-14s %18s %18s %18s %18s%n", "first event", "baseline", "webhook", "worker", "query");
        System.out.printf(
            "%-14s %18s %18s %18s %18s%n",
            "flags", "wall / cpu ms", "wall / cpu ms", "wall / cpu ms", "wall / cpu ms");
      }
      for (String v : variants.keySet()) {
        StringBuilder row = new StringBuilder(String.format("%-14s", v));
        for (Target t : targets.subList(0, 4)) {
          Run r = m.get(v + "/" + t.name() + "/cold");
          row.append(String.format(" %18s", r.firstEventMs() + " / " + r.firstEventCpuMs()));
        }
        System.out.println(row);
      }

      System.out.println();
      System.out.printf(
          "%-10s %16s %16s %12s %20s  %s%n",
          "function",
          "init wall/cpu",
          "1st wall/cpu",
          "ratio w/c",
          "primed 1st wall/cpu",
          "first result");
      Run base = m.get("template/baseline/cold");
      for (Target t : targets) {
        Run c = m.get("template/" + t.name() + "/cold");
        Run p = m.get("template/" + t.name() + "/primed");
        System.out.printf(
            Locale.ROOT,
            "%-10s %16s %16s %12s %20s  %s%n",
            t.name(),
            c.initMs() + " / " + c.initCpuMs(),
            c.firstEventMs() + " / " + c.firstEventCpuMs(),
            String.format(
                Locale.ROOT,
                "%.2f / %.2f",
                (double) c.firstEventMs() / base.firstEventMs(),
                (double) c.firstEventCpuMs() / base.firstEventCpuMs()),
            p.afterPrimeMs() + " / " + p.afterPrimeCpuMs(),
            c.result());
      }
      System.out.println();
      System.out.println("coldstart-baseline-ms: " + base.firstEventMs());
      System.out.println("coldstart-baseline-cpu-ms: " + base.firstEventCpuMs());
      System.out.println(
          "snapstart-baseline-first-event-ms: " + m.get("template/baseline/primed").afterPrimeMs());
      for (Target t : targets.subList(1, targets.size())) {
        Run c = m.get("template/" + t.name() + "/cold");
        System.out.println("coldstart-" + t.name() + "-init-ms: " + c.initMs());
        System.out.println("coldstart-" + t.name() + "-ms: " + c.firstEventMs());
        System.out.println("coldstart-" + t.name() + "-cpu-ms: " + c.firstEventCpuMs());
        System.out.printf(
            Locale.ROOT,
            "coldstart-%s-ratio: %.2f%n",
            t.name(),
            (double) c.firstEventMs() / base.firstEventMs());
        System.out.printf(
            Locale.ROOT,
            "coldstart-%s-cpu-ratio: %.2f%n",
            t.name(),
            (double) c.firstEventCpuMs() / base.firstEventCpuMs());
        System.out.println(
            "snapstart-"
                + t.name()
                + "-first-event-ms: "
                + m.get("template/" + t.name() + "/primed").afterPrimeMs());
      }
      System.out.println();
      for (String client : List.of("urlconnection", "apache5")) {
        Run r = m.get("http/" + client);
        System.out.println(
            "httpclient-"
                + client
                + "-first-call-ms: "
                + r.firstEventMs()
                + " (cpu "
                + r.firstEventCpuMs()
                + ")");
      }
    }

    // 4. The artifact.
    System.out.printf(
        Locale.ROOT, "%nartifact-functions-lambda-mb: %.1f%n", Files.size(JAR) / 1_048_576.0);
    System.out.println(
        "artifact-functions-lambda-entries: " + new java.util.zip.ZipFile(JAR.toFile()).size());
  }

  record Cell(Target target, String flags, String mode, String classpath, List<String> args) {}

  private static List<String> childArgs(Target t, String mode) {
    return List.of(
        ColdStartChild.class.getName(), t.handlerClass(), t.kind(), t.event().toString(), mode);
  }

  private static Run medianOf(List<Run> runs) {
    return new Run(
        sortedMedian(runs.stream().map(Run::initMs).toList()),
        sortedMedian(runs.stream().map(Run::firstEventMs).toList()),
        sortedMedian(runs.stream().map(Run::afterPrimeMs).toList()),
        sortedMedian(runs.stream().map(Run::initCpuMs).toList()),
        sortedMedian(runs.stream().map(Run::firstEventCpuMs).toList()),
        sortedMedian(runs.stream().map(Run::afterPrimeCpuMs).toList()),
        runs.get(runs.size() - 1).result());
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "?";
    }
  }

  private static Run launch(
      LocalStack stack,
      Target t,
      String flags,
      String mode,
      String classpath,
      List<String> mainAndArgs)
      throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "-cp", classpath));
    command.addAll(mainAndArgs);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    String path = env.get("PATH");
    env.clear();
    env.put("PATH", path == null ? "/usr/bin:/bin" : path);
    env.putAll(stack.environmentVariables(t.logicalId()));
    env.put(
        "XERO_WEBHOOK_KEY",
        t.logicalId().equals("WebhookFunction")
            ? SAMPLE_WEBHOOK_KEY
            : env.getOrDefault("XERO_WEBHOOK_KEY", ""));
    env.put("JAVA_TOOL_OPTIONS", flags);
    env.put("METRICS_NAMESPACE", "XeroSync/bench");
    long launched = System.currentTimeMillis();
    Process p = pb.start();
    String benchLine = null;
    List<String> output = new ArrayList<>();
    try (var reader =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        output.add(line);
        if (line.startsWith("BENCH ")) {
          benchLine = line;
        }
      }
    }
    int exit = p.waitFor();
    Matcher m = benchLine == null ? null : BENCH.matcher(benchLine);
    if (exit != 0 || m == null || !m.matches()) {
      throw new IllegalStateException(
          t.name()
              + " ("
              + mode
              + ", flags '"
              + flags
              + "') failed with exit "
              + exit
              + ":\n"
              + String.join("\n", output));
    }
    long constructed = Long.parseLong(m.group(2));
    long restored = Long.parseLong(m.group(3));
    long handled = Long.parseLong(m.group(4));
    long constructedCpu = Long.parseLong(m.group(5));
    long restoredCpu = Long.parseLong(m.group(6));
    long handledCpu = Long.parseLong(m.group(7));
    return new Run(
        constructed - launched,
        handled - launched,
        handled - restored,
        constructedCpu,
        handledCpu,
        handledCpu - restoredCpu,
        m.group(8));
  }

  private static long sortedMedian(List<Long> values) {
    long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
    return sorted[sorted.length / 2];
  }

  /**
   * The deployed jar, the two child classes alone (not the test classes, whose SDK interceptor
   * would load), and the event loader.
   */
  private static String childClasspath(Path work) throws IOException {
    Path classes = work.resolve("classes/dev/xerosync/bench");
    Files.createDirectories(classes);
    for (Class<?> c : List.of(ColdStartChild.class, BareHandler.class, HttpClientProbe.class)) {
      Path source =
          Path.of(
              c.getProtectionDomain().getCodeSource().getLocation().getPath(),
              c.getName().replace('.', '/') + ".class");
      Files.copy(
          source,
          classes.resolve(c.getSimpleName() + ".class"),
          StandardCopyOption.REPLACE_EXISTING);
    }
    List<String> entries =
        new ArrayList<>(
            List.of(JAR.toAbsolutePath().toString(), work.resolve("classes").toString()));
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (entry.contains("aws-lambda-java-tests")
          || entry.contains("aws-lambda-java-serialization")
          || entry.contains("commons-lang3")) {
        entries.add(entry);
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  private static String apache5Classpath() {
    return String.join(
        File.pathSeparator,
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(
                e ->
                    e.contains("apache5-client")
                        || e.contains("httpclient5")
                        || e.contains("httpcore5"))
            .toList());
  }

  private static String templateJavaToolOptions() throws IOException {
    for (String line : Files.readAllLines(Path.of("template.yaml"))) {
      String trimmed = line.trim();
      if (trimmed.startsWith("JAVA_TOOL_OPTIONS:")) {
        return trimmed.substring("JAVA_TOOL_OPTIONS:".length()).trim();
      }
    }
    throw new IllegalStateException("template.yaml sets no JAVA_TOOL_OPTIONS");
  }

  private static void awaitSynced(LocalStack stack, String tenantId, String invoiceId)
      throws InterruptedException {
    var store =
        new dev.xerosync.store.InvoiceStore(
            stack.aws().dynamoDb(),
            stack.aws().resources().tableName("Table"),
            java.time.Clock.systemUTC());
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (store.get(tenantId, invoiceId).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the benchmark organisation did not sync within 30 s");
      }
      Thread.sleep(100);
    }
  }

  /**
   * A FIFO batch with one change of the synced organisation's invoice, as the event source would
   * deliver it.
   */
  private static Path workerEvent(Path work, String tenantId, String invoiceId) throws IOException {
    JsonNode sample = Json.MAPPER.readTree(Path.of("events/sync-batch.json").toFile());
    ObjectNode record = (ObjectNode) sample.path("Records").get(0).deepCopy();
    record.put(
        "body",
        "{\"tenantId\":\""
            + tenantId
            + "\",\"invoiceIds\":[\""
            + invoiceId
            + "\"],\"contactIds\":[],\"correlationId\":\"coldstart\"}");
    ((ObjectNode) record.path("attributes"))
        .put("MessageGroupId", tenantId)
        .put("SentTimestamp", Long.toString(System.currentTimeMillis()));
    ObjectNode event = Json.MAPPER.createObjectNode();
    event.putArray("Records").add(record);
    Path file = work.resolve("worker-event.json");
    Files.writeString(file, event.toString());
    return file;
  }

  /** The sample contact-invoices request, aimed at the synced organisation's contact. */
  private static Path queryEvent(Path work, String tenantId, String contactId) throws IOException {
    ObjectNode event =
        (ObjectNode) Json.MAPPER.readTree(Path.of("events/query-contact-invoices.json").toFile());
    Map<String, String> params =
        new HashMap<>(Map.of("tenantId", tenantId, "contactId", contactId));
    ObjectNode path = event.putObject("pathParameters");
    params.forEach(path::put);
    event.put("path", "/tenants/" + tenantId + "/contacts/" + contactId + "/invoices");
    // The TenantKey authorizer's context, as API Gateway hands it on: a key of this tenant.
    ((ObjectNode) event.path("requestContext").path("authorizer")).put("tenantId", tenantId);
    Path file = work.resolve("query-event.json");
    Files.writeString(file, event.toString());
    return file;
  }
}
