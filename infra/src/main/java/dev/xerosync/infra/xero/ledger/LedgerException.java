package dev.xerosync.infra.xero.ledger;

import java.util.List;

/** A business-rule refusal; its messages are the ValidationErrors Xero would return. */
public final class LedgerException extends RuntimeException {
  private final List<String> messages;

  public LedgerException(String... messages) {
    super(String.join("; ", messages));
    this.messages = List.of(messages);
  }

  public LedgerException(List<String> messages) {
    super(String.join("; ", messages));
    this.messages = List.copyOf(messages);
  }

  public List<String> messages() {
    return messages;
  }
}
