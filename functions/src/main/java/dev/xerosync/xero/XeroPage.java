package dev.xerosync.xero;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** One page of a list call, with Xero's pagination counts when it sent them (null otherwise). */
public record XeroPage<T>(
    List<T> items,
    @Nullable Integer page,
    @Nullable Integer pageCount,
    @Nullable Integer itemCount) {}
