package dev.xerosync.bench;

import dev.xerosync.infra.xero.SimOrganisation;
import dev.xerosync.infra.xero.TokenSet;
import dev.xerosync.infra.xero.XeroSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;

/**
 * ./dev bench SimSeedBench [quick]: time to start the simulator and seed an organisation with 100k
 * invoices (with payments) and 10k contacts, then the latency of a first and a warm 1,000-invoice
 * page over HTTP. Quick seeds a tenth.
 */
public final class SimSeedBench {
  public static void main(String[] args) throws Exception {
    int scale = java.util.List.of(args).contains("quick") ? 10 : 1;
    Figures figures = Figures.to(System.out);
    System.setOut(figures.out());
    figures.require(
        "sim-seed-100k-s",
        "sim-seed-100k-invoices",
        "sim-page-1000-first-ms",
        "sim-page-1000-warm-ms");
    figures.run(() -> measure(scale, figures));
  }

  static void measure(int scale, Figures figures) throws Exception {
    long t0 = System.nanoTime();
    try (XeroSimulator sim = XeroSimulator.builder().app("bench", "secret").start()) {
      SimOrganisation org = sim.createOrganisation("Big Org");
      org.generateHistory(42, 10_000 / scale, 100_000 / scale, Instant.now());
      double seedSeconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf("sim-seed-100k-s: %.2f s%n", seedSeconds);
      System.out.println("sim-seed-100k-invoices: " + org.invoices().size() + " invoices");
      System.out.println("sim-seed-100k-payments: " + org.payments().size() + " payments");
      System.out.println("sim-seed-100k-contacts: " + org.contacts().size() + " contacts");

      TokenSet t = sim.grant("bench", org.tenantId());
      HttpClient http = HttpClient.newHttpClient();
      for (String label : new String[] {"first", "warm"}) {
        long s = System.nanoTime();
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(
                        URI.create(sim.baseUrl() + "/api.xro/2.0/Invoices?page=7&pageSize=1000"))
                    .header("Authorization", "Bearer " + t.accessToken())
                    .header("xero-tenant-id", org.tenantId())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        System.out.printf(
            "sim-page-1000-%s-ms: %.1f ms (status %d, %d bytes)%n",
            label, (System.nanoTime() - s) / 1e6, r.statusCode(), r.body().length());
        if (r.statusCode() != 200) {
          figures.problem("the " + label + " page answered " + r.statusCode());
        }
      }
    }
  }
}
