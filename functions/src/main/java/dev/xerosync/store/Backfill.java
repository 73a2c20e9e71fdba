package dev.xerosync.store;

/**
 * A one-time upgrade step: gives the items stored before a feature existed what that feature now
 * writes, a few Scan pages per call, until the whole table is done ({@link DueDateBackfill}, {@link
 * CreditNoteBackfill}). The scheduled due-date run calls each before its own work.
 */
public interface Backfill {
  /** Items given their keys by one call, and whether the whole table is done. */
  record Progress(int keyed, boolean done) {}

  /** Scans up to {@code pages} pages (each at most 1 MB) from where the last call stopped. */
  Progress run(int pages);

  /** What a call did, for the log: "invoices given their due-date keys". */
  String what();
}
