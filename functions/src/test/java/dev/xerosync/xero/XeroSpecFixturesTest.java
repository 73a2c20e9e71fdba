package dev.xerosync.xero;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The examples kept in the repository are Xero's, unchanged: each equals its source in the whole
 * spec. Needs the spec (skipped without it; CI requires it).
 */
@ExtendWith(XeroSpec.Needed.class)
class XeroSpecFixturesTest {

  @ParameterizedTest(name = "{1} {0}")
  @CsvSource({
    "/Invoices, get",
    "/Invoices/{InvoiceID}, get",
    "/Payments, get",
    "/CreditNotes, get",
    "/Overpayments/{OverpaymentID}, get",
  })
  void theKeptExampleIsTheSpecsOwn(String path, String method) throws Exception {
    var source = XeroSpec.specExample(path, method);
    assertThat(source.isObject())
        .as("the spec has a 200 example for " + method + " " + path)
        .isTrue();
    assertThat(XeroSpec.fixtureExactly(path, method)).isEqualTo(source);
  }
}
