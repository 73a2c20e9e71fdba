package dev.xerosync.store;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** Amounts still due, per currency, in bands of days overdue as of the organisation's today. */
public final class AgingSummary {
  public enum Band {
    CURRENT,
    DAYS_1_TO_30,
    DAYS_31_TO_60,
    DAYS_61_TO_90,
    OVER_90;

    /** Not yet due (or no due date) is current; due yesterday is one day overdue. */
    public static Band of(@Nullable LocalDate dueDate, LocalDate today) {
      long days = dueDate == null ? 0 : ChronoUnit.DAYS.between(dueDate, today);
      if (days <= 0) {
        return CURRENT;
      }
      if (days <= 30) {
        return DAYS_1_TO_30;
      }
      if (days <= 60) {
        return DAYS_31_TO_60;
      }
      return days <= 90 ? DAYS_61_TO_90 : OVER_90;
    }
  }

  public record Cell(long count, BigDecimal amount) {
    static final Cell EMPTY = new Cell(0, BigDecimal.ZERO);

    Cell plus(long c, BigDecimal a) {
      return new Cell(count + c, amount.add(a));
    }
  }

  private final LocalDate today;
  private final Map<String, EnumMap<Band, Cell>> byCurrency = new TreeMap<>();

  public AgingSummary(LocalDate today) {
    this.today = today;
  }

  public LocalDate today() {
    return today;
  }

  public void add(
      @Nullable String currency, @Nullable LocalDate dueDate, long count, BigDecimal amount) {
    if (count == 0 && amount.signum() == 0) {
      return;
    }
    var bands =
        byCurrency.computeIfAbsent(
            currency == null ? "XXX" : currency,
            c -> {
              EnumMap<Band, Cell> m = new EnumMap<>(Band.class);
              for (Band b : Band.values()) {
                m.put(b, Cell.EMPTY);
              }
              return m;
            });
    bands.merge(
        Band.of(dueDate, today),
        Cell.EMPTY.plus(count, amount),
        (a, b) -> a.plus(b.count(), b.amount()));
  }

  /** Currency → band → count and amount, currencies in alphabetical order. */
  /** Adds each of a contact's unpaid invoices whose type is {@code type} (null: any type). */
  public void addUnpaid(List<InvoiceViews.Due> unpaid, @Nullable String type) {
    for (InvoiceViews.Due due : unpaid) {
      if (type == null || type.equals(due.type())) {
        add(due.currency(), due.dueDate(), 1, due.amountDue());
      }
    }
  }

  public Map<String, EnumMap<Band, Cell>> byCurrency() {
    return byCurrency;
  }
}
