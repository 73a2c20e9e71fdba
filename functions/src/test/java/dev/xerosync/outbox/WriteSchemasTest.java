package dev.xerosync.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * openapi.yaml's write schemas and the fields WriteRequests takes are one list: every schema is
 * closed ({@code additionalProperties: false}) and names exactly the fields the check allows.
 */
class WriteSchemasTest {
  private static final JsonNode SCHEMAS = load().path("components").path("schemas");

  private static JsonNode load() {
    try (InputStream in = WriteSchemasTest.class.getResourceAsStream("/openapi.yaml")) {
      return new ObjectMapper(new YAMLFactory()).readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Set<String> fields(String name) {
    return switch (name) {
      case "InvoiceWrite" -> WriteRequests.INVOICE_FIELDS;
      case "ContactWriteRef" -> WriteRequests.CONTACT_REF_FIELDS;
      case "PaymentWrite" -> WriteRequests.PAYMENT_FIELDS;
      case "DepositWrite" -> WriteRequests.DEPOSIT_FIELDS;
      case "ContactWrite" -> WriteRequests.CONTACT_FIELDS;
      case "AccountingSettings" -> WriteRequests.SETTINGS_FIELDS;
      case "HistoryPush" -> WriteRequests.HISTORY_FIELDS;
      case "HistoryInvoice" -> {
        Set<String> all = new TreeSet<>(WriteRequests.INVOICE_FIELDS);
        all.add("invoiceId");
        yield all;
      }
      case "Empty" -> Set.of();
      default -> throw new IllegalArgumentException(name);
    };
  }

  @ParameterizedTest
  @CsvSource({
    "InvoiceWrite",
    "ContactWriteRef",
    "PaymentWrite",
    "DepositWrite",
    "ContactWrite",
    "AccountingSettings",
    "HistoryPush",
    "HistoryInvoice",
    "Empty"
  })
  void eachWriteSchemaIsClosedAndListsTheFieldsTheCheckTakes(String name) {
    JsonNode schema = SCHEMAS.path(name);

    assertThat(schema.path("additionalProperties").asBoolean(true)).as(name).isFalse();
    Set<String> documented = new TreeSet<>();
    schema.path("properties").fieldNames().forEachRemaining(documented::add);
    assertThat(documented).as(name).isEqualTo(new TreeSet<>(fields(name)));
  }

  @ParameterizedTest
  @CsvSource({"lineItems,LINE_FIELDS", "shipping,SHIPPING_FIELDS"})
  void anInvoicesLinesAndShippingAreClosedToo(String property, String constant) {
    JsonNode schema = SCHEMAS.path("InvoiceWrite").path("properties").path(property);
    JsonNode object = schema.has("items") ? schema.get("items") : schema;
    Set<String> documented = new TreeSet<>();
    object.path("properties").fieldNames().forEachRemaining(documented::add);

    assertThat(object.path("additionalProperties").asBoolean(true)).isFalse();
    assertThat(documented)
        .isEqualTo(
            new TreeSet<>(
                "LINE_FIELDS".equals(constant)
                    ? WriteRequests.LINE_FIELDS
                    : WriteRequests.SHIPPING_FIELDS));
  }
}
