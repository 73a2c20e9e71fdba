package dev.xerosync.infra.aws.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The tables by name, and the one lock: writes are serialised by it, so every item write is atomic
 * and a transaction is applied all at once; reads take its shared side, so they never see half a
 * transaction.
 */
final class Tables {
  private final Map<String, Table> byName = new ConcurrentHashMap<>();
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

  <T> T reading(Supplier<T> read) {
    lock.readLock().lock();
    try {
      return read.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  <T> T writing(Supplier<T> write) {
    lock.writeLock().lock();
    try {
      return write.get();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** The request's table (TableName validated); ResourceNotFoundException when there is none. */
  Table table(JsonNode request) {
    return table(Requests.tableName(request));
  }

  Table table(String name) {
    var table = byName.get(name);
    if (table == null) {
      throw DynamoError.notFound();
    }
    return table;
  }

  /** The table with this name, or null. */
  Table get(String name) {
    return byName.get(name);
  }

  /** Adds the table unless one has its name; returns the existing one, or null. */
  Table putIfAbsent(Table table) {
    return byName.putIfAbsent(table.name, table);
  }

  Table remove(String name) {
    return byName.remove(name);
  }

  Collection<Table> all() {
    return byName.values();
  }

  /** A snapshot of the names, in order. */
  NavigableSet<String> names() {
    return new TreeMap<>(byName).navigableKeySet();
  }
}
