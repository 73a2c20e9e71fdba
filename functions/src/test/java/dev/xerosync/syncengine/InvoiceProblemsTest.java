package dev.xerosync.syncengine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xerosync.common.Json;
import dev.xerosync.xero.XeroInvoice;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class InvoiceProblemsTest {
  private static XeroInvoice parse(String id, String extra) throws Exception {
    return XeroInvoice.fromJson(
        Json.MAPPER.readTree(
            "{\"InvoiceID\":\"%s\",\"Type\":\"ACCREC\",\"Status\":\"AUTHORISED\",\"Total\":10.0,\"UpdatedDateUTC\":\"/Date(1700000000000+0000)/\"%s}"
                .formatted(id, extra)));
  }

  @Test
  void errorsAreNotStoredWarningsAreAndBothAreLoggedAndCounted() throws Exception {
    XeroInvoice clean = parse("clean", "");
    XeroInvoice erred =
        parse(
            "erred",
            ", \"ValidationErrors\":[{\"Message\":\"Invoice not of valid status for modification\"}]");
    XeroInvoice warned =
        parse(
            "warned",
            ", \"Warnings\":[{\"Message\":\"Only AUTHORISED and PAID invoices are shown\"}]");
    assertEquals(List.of("Invoice not of valid status for modification"), erred.validationErrors());
    assertEquals(List.of("Only AUTHORISED and PAID invoices are shown"), warned.warnings());
    assertTrue(clean.validationErrors().isEmpty() && clean.warnings().isEmpty());

    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    List<XeroInvoice> stored;
    try {
      stored = InvoiceProblems.storable("tenant-1", List.of(clean, erred, warned));
    } finally {
      System.setOut(stdout);
    }
    assertEquals(List.of(clean, warned), stored);
    String out = captured.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("Invoice not of valid status for modification"), out);
    assertTrue(out.contains("Only AUTHORISED and PAID invoices are shown"), out);
    assertEquals(
        2,
        out.lines()
            .filter(l -> l.contains("CloudWatchMetrics") && l.contains("XeroInvoiceProblems"))
            .count(),
        out);
    assertTrue(
        out.contains("\"Kind\":\"validationerrors\"") && out.contains("\"Kind\":\"warnings\""));
  }
}
