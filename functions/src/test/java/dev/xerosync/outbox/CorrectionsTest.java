package dev.xerosync.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Xero's words, as the simulator gives them from Xero's recorded answers, to our codes. */
class CorrectionsTest {
  private static String code(String message) {
    return Corrections.of(List.of(message)).code();
  }

  @Test
  void xerosTwoWordingsForAMissingContactAreContactRequired() {
    assertThat(code("A Contact must be specified for this type of transaction"))
        .isEqualTo("CONTACT_REQUIRED");
    assertThat(
            code(
                "The Contact must contain at least 1 of the following elements to identify the"
                    + " contact: Name, ContactID, ContactNumber"))
        .isEqualTo("CONTACT_REQUIRED");
  }

  @Test
  void anArchivedContactAndATakenNumberKeepTheirCodes() {
    assertThat(
            code(
                "The contact with the specified contact details has been archived. The contact"
                    + " must be un-archived before creating new invoices or credit notes."))
        .isEqualTo("CONTACT_ARCHIVED");
    assertThat(code("One or more line items must be specified")).isEqualTo("LINE_ITEMS_REQUIRED");
  }

  @Test
  void postDataXeroCannotReadIsAValidationProblemOfItsOwn() {
    assertThat(
            code(
                "Error converting value \"SALES\" to type 'Xero.API.Library..InvoiceType'. Path"
                    + " 'Invoices[0].Type'."))
        .isEqualTo("XERO_VALIDATION");
    assertThat(code("Invoice not of valid status for creation")).isEqualTo("XERO_VALIDATION");
  }
}
