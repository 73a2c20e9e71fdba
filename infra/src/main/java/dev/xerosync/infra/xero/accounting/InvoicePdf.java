package dev.xerosync.infra.xero.accounting;

import dev.xerosync.infra.xero.http.SimResponse;
import dev.xerosync.infra.xero.ledger.InvoiceView;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The PDF Xero serves for GET /Invoices/{InvoiceID} with {@code Accept: application/pdf}
 * (xero_accounting.yaml, operation getInvoiceAsPdf, x-path /Invoices/{InvoiceID}): here a real,
 * minimal one-page PDF 1.4 (a viewer opens it) naming the invoice, its contact and amounts.
 */
final class InvoicePdf {
  private InvoicePdf() {}

  static SimResponse of(InvoiceView v) {
    var inv = v.invoice();
    List<String> lines =
        List.of(
            ("ACCPAY".equals(inv.type()) ? "Bill " : "Invoice ")
                + (inv.invoiceNumber() == null ? "" : inv.invoiceNumber()),
            "To: " + v.contact().name(),
            "Total: " + inv.total().toPlainString() + " " + inv.currencyCode(),
            "Amount due: " + v.amountDue().toPlainString() + " " + inv.currencyCode(),
            "Status: " + inv.status());
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/pdf");
    return new SimResponse(200, headers, pdf(lines));
  }

  /** A one-page PDF with the lines in Helvetica; the cross-reference table's offsets are exact. */
  static byte[] pdf(List<String> lines) {
    StringBuilder text = new StringBuilder("BT /F1 14 Tf 72 760 Td 18 TL\n");
    for (String line : lines) {
      text.append('(').append(escape(line)).append(") Tj T*\n");
    }
    text.append("ET");
    String content = text.toString();
    List<String> objects = new ArrayList<>();
    objects.add("<< /Type /Catalog /Pages 2 0 R >>");
    objects.add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    objects.add(
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            + " /Resources << /Font << /F1 5 0 R >> >> >>");
    objects.add(
        "<< /Length "
            + content.getBytes(StandardCharsets.ISO_8859_1).length
            + " >>\nstream\n"
            + content
            + "\nendstream");
    objects.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(out, "%PDF-1.4\n");
    List<Integer> offsets = new ArrayList<>();
    for (int i = 0; i < objects.size(); i++) {
      offsets.add(out.size());
      write(out, (i + 1) + " 0 obj\n" + objects.get(i) + "\nendobj\n");
    }
    int xref = out.size();
    StringBuilder tail = new StringBuilder();
    tail.append("xref\n0 ").append(objects.size() + 1).append("\n0000000000 65535 f \n");
    for (int offset : offsets) {
      tail.append(String.format("%010d 00000 n \n", offset));
    }
    tail.append("trailer\n<< /Size ")
        .append(objects.size() + 1)
        .append(" /Root 1 0 R >>\nstartxref\n")
        .append(xref)
        .append("\n%%EOF\n");
    write(out, tail.toString());
    return out.toByteArray();
  }

  private static String escape(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c == '(' || c == ')' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20 || c > 0xff) {
        b.append('?');
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static void write(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
  }
}
