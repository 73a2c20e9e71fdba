package dev.xerosync.xero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.xerosync.common.Json;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What XeroWrites makes of Xero's answers: messages, warnings and problem names, in Xero's words.
 */
class XeroWritesTest {
  private HttpServer server;

  private XeroWrites answering(int status, String body) throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        ex -> {
          byte[] b = body.getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().set("Content-Type", "application/json");
          ex.sendResponseHeaders(status, b.length);
          try (var out = ex.getResponseBody()) {
            out.write(b);
          }
        });
    server.start();
    return new XeroWrites(
        XeroApi.defaultHttpClient(),
        URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
        CallBudget.UNLIMITED);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static JsonNode element() throws Exception {
    return Json.MAPPER.readTree("{\"Type\":\"ACCREC\"}");
  }

  private XeroWrites.Outcome put(XeroWrites xero) throws Exception {
    return xero.write("PUT", "Invoices", "Invoices", element(), "t1", "token", "key-1");
  }

  @Test
  void keepsEveryWarningOfASavedElementInXerosWords() throws Exception {
    // The spec's ManualJournals example: Warnings beside the element, each with its Message.
    XeroWrites.Outcome out =
        put(
            answering(
                200,
                "{\"Invoices\":[{\"InvoiceID\":\"i1\",\"StatusAttributeString\":\"WARNING\","
                    + "\"Warnings\":[{\"Message\":\"Account code '476' has been removed as it"
                    + " does not match a recognised account.\"}]}]}"));

    assertThat(out.accepted()).isTrue();
    assertThat(out.warnings())
        .containsExactly(
            "Account code '476' has been removed as it does not match a recognised account.");
  }

  @Test
  void aWarningElementWithoutAMessageStillSaysSo() throws Exception {
    XeroWrites.Outcome out =
        put(
            answering(
                200,
                "{\"Invoices\":[{\"InvoiceID\":\"i1\",\"StatusAttributeString\":\"WARNING\"}]}"));

    assertThat(out.accepted()).isTrue();
    assertThat(out.warnings()).hasSize(1).first().asString().contains("WARNING");
  }

  @Test
  void anErrorGivenUnderDescriptionKeepsItsWords() throws Exception {
    XeroWrites.Outcome out =
        put(
            answering(
                400,
                "{\"ErrorNumber\":10,\"Type\":\"ValidationException\",\"Message\":\"A validation"
                    + " exception occurred\",\"Elements\":[{\"ValidationErrors\":[{\"Description\":"
                    + "\"Email address must be valid.\"}]}]}"));

    assertThat(out.rejected()).isTrue();
    assertThat(out.messages()).containsExactly("Email address must be valid.");
  }

  @Test
  void xerosRecordedRefusalOfAPaidInvoiceWithoutLinesKeepsEveryMessage() throws Exception {
    // pyxero's xero/tests/test_exceptions.py, "Verified response from the live API" (as JSON).
    XeroWrites.Outcome out =
        put(
            answering(
                400,
                "{\"ErrorNumber\":10,\"Type\":\"ValidationException\",\"Message\":\"A validation"
                    + " exception occurred\",\"Elements\":[{\"ValidationErrors\":["
                    + "{\"Message\":\"One or more line items must be specified\"},"
                    + "{\"Message\":\"Invoice not of valid status for creation\"},"
                    + "{\"Message\":\"A Contact must be specified for this type of transaction\"}"
                    + "],\"Warnings\":[]}]}"));

    assertThat(out.messages())
        .containsExactly(
            "One or more line items must be specified",
            "Invoice not of valid status for creation",
            "A Contact must be specified for this type of transaction");
    assertThat(out.warnings()).isEmpty();
  }

  @Test
  void theProblemNameComesFromXerosDetailNotItsTitle() throws Exception {
    XeroWrites xero =
        answering(
            401,
            "{\"Type\":null,\"Title\":\"Unauthorized\",\"Status\":401,"
                + "\"Detail\":\"TokenExpired: token expired at 12/06/2026 10:30:00\"}");

    assertThatThrownBy(() -> put(xero))
        .isInstanceOfSatisfying(
            XeroApiException.class, e -> assertThat(e.problem()).isEqualTo("TokenExpired"));
    assertThat(XeroApi.problemName("{\"Title\":\"Unauthorized\"}", "x")).isEqualTo("Unauthorized");
    assertThat(XeroApi.problemName("{\"Detail\":\"AuthenticationUnsuccessful\"}", "x"))
        .isEqualTo("AuthenticationUnsuccessful");
    assertThat(List.of(XeroApi.problemName("not json", "TokenExpired")))
        .containsExactly("TokenExpired");
  }
}
