package dev.xerosync.xero;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Ids from Xero's answers key and compare in one spelling, whatever case Xero sent them in. */
class XeroIdsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void invoiceAndContactIdsAreLowerCased() throws Exception {
    JsonNode n =
        JSON.readTree(
            """
            {"InvoiceID":"A1B2C3D4-0000-4000-8000-00000000ABCD","Type":"ACCREC","Status":"AUTHORISED",
             "Contact":{"ContactID":"FFFFFFFF-1111-4111-8111-111111111111","Name":"Acme"},
             "UpdatedDateUTC":"/Date(1700000000000+0000)/"}
            """);
    XeroInvoice invoice = XeroInvoice.fromJson(n);
    assertThat(invoice.invoiceId()).isEqualTo("a1b2c3d4-0000-4000-8000-00000000abcd");
    assertThat(invoice.contactId()).isEqualTo("ffffffff-1111-4111-8111-111111111111");

    XeroContact contact = XeroContact.fromJson(n.get("Contact"));
    assertThat(contact.contactId()).isEqualTo("ffffffff-1111-4111-8111-111111111111");
  }

  @Test
  void aValueThatIsNoGuidIsLeftAsSentForTheCheckThatRefusesIt() throws Exception {
    JsonNode n = JSON.readTree("{\"ContactID\":\"Not-A-Guid\",\"Name\":\"Acme\"}");
    assertThat(XeroContact.fromJson(n).contactId()).isEqualTo("Not-A-Guid");
  }
}
