package dev.xerosync.outbox;

import dev.xerosync.tokens.TokenRefreshException;
import dev.xerosync.xero.XeroApiException;

/**
 * One kind of write, sent for one pass of its operation. An exception means the pass could not
 * finish: {@link WriteExecutor} decides whether it was ambiguous and when to come back. When {@code
 * call.op().ambiguous} is set, an earlier send may have reached Xero, so a kind looks the entity up
 * by our own key and adopts it before sending anything.
 */
interface OperationWrite {
  Completion send(XeroCall call) throws XeroApiException, TokenRefreshException;
}
