package dev.xerosync.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.tokens.TenantXero;
import dev.xerosync.tokens.TokenRefreshException;
import dev.xerosync.xero.XeroApiException;
import dev.xerosync.xero.XeroEndpoint;
import dev.xerosync.xero.XeroWrites;
import java.util.List;

/**
 * Xero calls made for one operation: each goes through the tenant's shared access ({@link
 * TenantXero}: the token, replaced once on 401) and is counted against the operation. Writes carry
 * an Idempotency-Key made of the operation, its key generation and the step.
 */
final class XeroCall {
  private final Operation op;
  private final TenantXero access;
  private final XeroEndpoint xero;

  XeroCall(Operation op, TenantXero access, XeroEndpoint xero) {
    this.op = op;
    this.access = access;
    this.xero = xero;
  }

  Operation op() {
    return op;
  }

  JsonNode lookup(String pathAndQuery) throws XeroApiException, TokenRefreshException {
    op.reconcileLookups++;
    return access.call(
        op.tenantId, token -> xero.read(pathAndQuery, op.tenantId, token), () -> op.xeroCalls++);
  }

  XeroWrites.Outcome write(
      String method, String path, String collection, JsonNode element, String step)
      throws XeroApiException, TokenRefreshException {
    return writeAll(method, path, collection, List.of(element), step).get(0);
  }

  List<XeroWrites.Outcome> writeAll(
      String method, String path, String collection, List<? extends JsonNode> elements, String step)
      throws XeroApiException, TokenRefreshException {
    String key = op.operationId + "-" + op.keyGeneration + "-" + step;
    List<XeroWrites.Outcome> outcomes =
        access.call(
            op.tenantId,
            token -> xero.writeAll(method, path, collection, elements, op.tenantId, token, key),
            () -> op.xeroCalls++);
    for (XeroWrites.Outcome o : outcomes) {
      // Every warning Xero gave, once, whatever became of the write.
      o.warnings().stream().filter(w -> !op.warnings.contains(w)).forEach(op.warnings::add);
    }
    return outcomes;
  }
}
