package dev.xerosync.bench;

import dev.xerosync.infra.lambda.LocalStack;
import dev.xerosync.infra.xero.SimOrganisation;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Does the local stack's heap stay flat under steady mixed traffic? An hour of it by default: query
 * reads through the API (authorizer included), admin status reads, and payments made and reversed
 * in the simulated Xero, each reaching the store through webhook, queue and worker.
 *
 * <pre>
 * ./dev bench SoakBenchmark                 one hour, 8 operations a second
 * ./dev bench SoakBenchmark --compress=6    the same hour of traffic in 10 minutes (6x the rate)
 * ./dev bench SoakBenchmark quick           12 seconds (CI's smoke run)
 * </pre>
 *
 * Heap is measured after full collections at the end of warm-up (the first fifth) and at the end;
 * {@code soak-heap-growth-mb} is the difference (target: flat, i.e. a few MB of genuine data).
 */
public final class SoakBenchmark {
  private static final String[] FIGURES = {
    "soak-operations", "soak-heap-after-warmup-mb", "soak-heap-end-mb", "soak-heap-growth-mb"
  };

  public static void main(String[] args) {
    Figures figures = Figures.to(System.out);
    figures.require(FIGURES);
    figures.run(() -> soak(args, figures));
  }

  private static void soak(String[] args, Figures figures) throws Exception {
    var out = figures.out();
    boolean quick = List.of(args).contains("quick");
    double minutes = quick ? 0.2 : 60;
    int compress = 1;
    for (String a : args) {
      if (a.startsWith("--minutes=")) {
        minutes = Double.parseDouble(a.substring(10));
      }
      if (a.startsWith("--compress=")) {
        compress = Integer.parseInt(a.substring(11));
      }
    }
    long wallMs = (long) (minutes * 60_000 / compress);
    int perSecond = 8 * compress;
    HttpClient http = HttpClient.newHttpClient();
    try (LocalStack stack = LocalStack.start(LocalStack.Options.defaults())) {
      record Tenant(SimOrganisation org, String key, String contact, String invoice) {}
      List<Tenant> tenants = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        SimOrganisation org = stack.xero().createOrganisation("Soak " + i + " Ltd");
        String contact = org.createContact("Customer " + i);
        String invoice =
            org.createAuthorisedInvoice(
                contact,
                LocalDate.now().minusDays(5),
                LocalDate.now().plusDays(25),
                new BigDecimal("1000.00"));
        stack.connect(org);
        tenants.add(
            new Tenant(org, stack.issueApiKey(org.tenantId(), "soak").secret(), contact, invoice));
      }
      Random random = new Random(12);
      long start = System.currentTimeMillis();
      long warmEnd = start + wallMs / 5;
      long end = start + wallMs;
      long warmHeap = -1;
      long operations = 0;
      long errors = 0;
      while (System.currentTimeMillis() < end) {
        long tick = System.currentTimeMillis();
        for (int n = 0; n < perSecond; n++) {
          Tenant t = tenants.get(random.nextInt(tenants.size()));
          int roll = random.nextInt(10);
          String base = stack.apiUrl() + "/tenants/" + t.org().tenantId();
          int status;
          if (roll < 7) {
            String path =
                switch (roll % 4) {
                  case 0 -> "/contacts/" + t.contact() + "/invoices";
                  case 1 -> "/invoices/" + t.invoice();
                  case 2 -> "/contacts/" + t.contact() + "/totals";
                  default -> "/aging";
                };
            status = get(http, base + path, "x-api-key", t.key());
          } else if (roll < 8) {
            status =
                get(
                    http,
                    stack.apiUrl() + "/saas-tenants/soak/connections",
                    "x-admin-key",
                    stack.adminApiKey());
          } else {
            String payment =
                t.org().pay(t.invoice(), new BigDecimal("1.00"), LocalDate.now(), "soak");
            t.org().reversePayment(payment);
            status = 200;
          }
          operations++;
          if (status >= 500) {
            errors++;
          }
        }
        if (warmHeap < 0 && System.currentTimeMillis() >= warmEnd) {
          warmHeap = heapAfterGc();
        }
        long spare = 1000 - (System.currentTimeMillis() - tick);
        if (spare > 0) {
          Thread.sleep(spare);
        }
      }
      long endHeap = heapAfterGc();
      out.println("soak-minutes-of-traffic: " + minutes + " min");
      out.println("soak-compress: " + compress + " x");
      out.println("soak-operations: " + operations + " operations");
      out.println("soak-5xx: " + errors + " responses");
      out.println("soak-heap-after-warmup-mb: " + warmHeap / 1_048_576 + " MB");
      out.println("soak-heap-end-mb: " + endHeap / 1_048_576 + " MB");
      // A heap that shrank grew by nothing; the signed difference stays in the comment.
      out.println("# heap difference " + (endHeap - warmHeap) / 1_048_576 + " MB");
      out.println("soak-heap-growth-mb: " + Math.max(0, (endHeap - warmHeap) / 1_048_576) + " MB");
      out.println(
          "# load average " + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      if (operations == 0 || warmHeap < 0) {
        figures.problem("the soak made no operations or never finished its warm-up");
      }
    }
  }

  private static int get(HttpClient http, String url, String header, String value)
      throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).header(header, value).GET().build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(300);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
