package dev.xerosync.infra.xero.webhooks;

/**
 * Decides, per delivery, whether to misbehave the way a flaky network or Xero's at-least-once
 * delivery can.
 */
public interface DeliveryFaults {
  boolean drop();

  boolean duplicate();

  /** Hold this delivery back and send it after the next one. */
  boolean reorder();

  DeliveryFaults NONE =
      new DeliveryFaults() {
        public boolean drop() {
          return false;
        }

        public boolean duplicate() {
          return false;
        }

        public boolean reorder() {
          return false;
        }
      };
}
