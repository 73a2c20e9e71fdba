package dev.xerosync.infra.aws.dynamodb;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One table's items in primary-key order, each secondary index as its own ordered map, and the
 * items that carry a time to live ordered by expiry. Reads need no lock (every stored item is an
 * immutable map); {@link Tables} serialises writes.
 */
final class Table {

  /** Bounds below and above every value of a key component. */
  enum Bound {
    LOW,
    HIGH
  }

  /**
   * A position in an ordered map: partition value, sort value, and for index entries the table's
   * own key, which makes index entries unique and orders ties. Unused components are null.
   */
  record Key(Object a, Object b, Object c, Object d) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      int r = component(a, o.a);
      if (r != 0) {
        return r;
      }
      r = component(b, o.b);
      if (r != 0) {
        return r;
      }
      r = component(c, o.c);
      return r != 0 ? r : component(d, o.d);
    }

    private static int component(Object x, Object y) {
      if (x == y) {
        return 0;
      }
      if (x == Bound.LOW || y == Bound.HIGH) {
        return -1;
      }
      if (x == Bound.HIGH || y == Bound.LOW) {
        return 1;
      }
      if (x == null) {
        return -1;
      }
      if (y == null) {
        return 1;
      }
      Integer order = Value.compare((Value) x, (Value) y);
      if (order == null) {
        // Key attributes have one declared type, so this only orders S before N before B.
        return ((Value) x).type().compareTo(((Value) y).type());
      }
      return order;
    }
  }

  record Attribute(String name, String type) {}

  /** A secondary index: its key, what it projects, and its entries in key order. */
  static final class Index {
    final String name;
    final boolean global;
    final Attribute hash;
    final Attribute range;
    final String projectionType;
    final List<String> nonKeyAttributes;
    final ConcurrentSkipListMap<Key, Map<String, Value>> entries = new ConcurrentSkipListMap<>();
    final AtomicLong bytes = new AtomicLong();

    Index(
        String name,
        boolean global,
        Attribute hash,
        Attribute range,
        String projectionType,
        List<String> nonKeyAttributes) {
      this.name = name;
      this.global = global;
      this.hash = hash;
      this.range = range;
      this.projectionType = projectionType;
      this.nonKeyAttributes = nonKeyAttributes;
    }
  }

  record TtlEntry(long expiresAt, Key key) implements Comparable<TtlEntry> {
    @Override
    public int compareTo(TtlEntry o) {
      int r = Long.compare(expiresAt, o.expiresAt);
      return r != 0 ? r : key.compareTo(o.key);
    }
  }

  final String name;
  final String arn;
  final String id;
  final Instant created;
  final Attribute hash;
  final Attribute range;
  final List<Attribute> attributeDefinitions;
  final String billingMode;
  final ObjectNode provisionedThroughput;
  final ObjectNode streamSpecification;
  final Map<String, Index> indexes;
  final ConcurrentSkipListMap<Key, Map<String, Value>> items = new ConcurrentSkipListMap<>();
  final AtomicLong bytes = new AtomicLong();
  volatile String ttlAttribute;
  final ConcurrentSkipListSet<TtlEntry> expiries = new ConcurrentSkipListSet<>();

  Table(
      String name,
      String arn,
      String id,
      Instant created,
      Attribute hash,
      Attribute range,
      List<Attribute> attributeDefinitions,
      String billingMode,
      ObjectNode provisionedThroughput,
      ObjectNode streamSpecification,
      List<Index> indexes) {
    this.name = name;
    this.arn = arn;
    this.id = id;
    this.created = created;
    this.hash = hash;
    this.range = range;
    this.attributeDefinitions = List.copyOf(attributeDefinitions);
    this.billingMode = billingMode;
    this.provisionedThroughput = provisionedThroughput;
    this.streamSpecification = streamSpecification;
    var byName = new LinkedHashMap<String, Index>();
    indexes.forEach(i -> byName.put(i.name, i));
    this.indexes = byName;
  }

  Set<String> keyNames() {
    return range == null ? Set.of(hash.name()) : Set.of(hash.name(), range.name());
  }

  Key key(Map<String, Value> item) {
    return new Key(
        item.get(hash.name()), range == null ? null : item.get(range.name()), null, null);
  }

  /** The index entry key of an item, or null if the item lacks the index's key (sparse index). */
  Key indexKey(Index index, Map<String, Value> item) {
    var h = item.get(index.hash.name());
    var r = index.range == null ? null : item.get(index.range.name());
    if (h == null || !h.type().equals(index.hash.type())) {
      return null;
    }
    if (index.range != null && (r == null || !r.type().equals(index.range.type()))) {
      return null;
    }
    var own = key(item);
    return new Key(h, r, own.a(), own.b());
  }

  /** What an index stores of an item: its projection plus the table's and the index's keys. */
  Map<String, Value> projectForIndex(Index index, Map<String, Value> item) {
    if (index.projectionType.equals("ALL")) {
      return item;
    }
    var projected = new LinkedHashMap<String, Value>();
    for (var e : item.entrySet()) {
      var n = e.getKey();
      if (keyNames().contains(n)
          || n.equals(index.hash.name())
          || (index.range != null && n.equals(index.range.name()))
          || index.nonKeyAttributes.contains(n)) {
        projected.put(n, e.getValue());
      }
    }
    return projected;
  }

  /** Capacity one write used: on the table, and on each index whose entries changed. */
  record WriteUnits(double table, Map<String, Double> indexes) {}

  /**
   * Stores the item at its key (or removes it when {@code next} is null), keeping indexes and
   * expiries in step. Callers hold the database's write lock.
   */
  WriteUnits store(Key key, Map<String, Value> previous, Map<String, Value> next) {
    long before = previous == null ? 0 : Value.itemSize(previous);
    long after = next == null ? 0 : Value.itemSize(next);
    if (next == null) {
      items.remove(key);
    } else {
      items.put(key, next);
    }
    bytes.addAndGet(after - before);
    var indexUnits = new LinkedHashMap<String, Double>();
    for (var index : indexes.values()) {
      var oldKey = previous == null ? null : indexKey(index, previous);
      var newKey = next == null ? null : indexKey(index, next);
      var oldEntry = oldKey == null ? null : projectForIndex(index, previous);
      var newEntry = newKey == null ? null : projectForIndex(index, next);
      double units = 0;
      if (oldKey != null && (newKey == null || !oldKey.equals(newKey))) {
        index.entries.remove(oldKey);
        index.bytes.addAndGet(-Value.itemSize(oldEntry));
        units += writeUnits(Value.itemSize(oldEntry));
      }
      if (newKey != null) {
        index.entries.put(newKey, newEntry);
        if (oldKey != null && oldKey.equals(newKey)) {
          index.bytes.addAndGet(Value.itemSize(newEntry) - Value.itemSize(oldEntry));
          if (!newEntry.equals(oldEntry)) {
            units += writeUnits(Value.itemSize(newEntry));
          }
        } else {
          index.bytes.addAndGet(Value.itemSize(newEntry));
          units += writeUnits(Value.itemSize(newEntry));
        }
      }
      if (units > 0) {
        indexUnits.put(index.name, units);
      }
    }
    var ttl = ttlAttribute;
    if (ttl != null) {
      var oldExpiry = expiry(previous, ttl);
      if (oldExpiry != null) {
        expiries.remove(new TtlEntry(oldExpiry, key));
      }
      var newExpiry = expiry(next, ttl);
      if (newExpiry != null) {
        expiries.add(new TtlEntry(newExpiry, key));
      }
    }
    return new WriteUnits(writeUnits(Math.max(before, after)), indexUnits);
  }

  /** Rebuilds the expiry order after time to live is enabled or disabled. */
  void timeToLive(String attribute) {
    ttlAttribute = attribute;
    expiries.clear();
    if (attribute != null) {
      items.forEach(
          (key, item) -> {
            var expiry = expiry(item, attribute);
            if (expiry != null) {
              expiries.add(new TtlEntry(expiry, key));
            }
          });
    }
  }

  /** The expiry in epoch seconds if the attribute is a number, as DynamoDB's TTL requires. */
  static Long expiry(Map<String, Value> item, String attribute) {
    if (item == null || !(item.get(attribute) instanceof Value.N n)) {
      return null;
    }
    try {
      return n.value().longValue();
    } catch (ArithmeticException e) {
      return null;
    }
  }

  static double writeUnits(long bytes) {
    return Math.max(1, (bytes + 1023) / 1024);
  }

  static double readUnits(long bytes, boolean consistent) {
    double units = Math.max(1, (bytes + 4095) / 4096);
    return consistent ? units : units / 2;
  }

  /** The entries of an index or the table, for a Query's or Scan's walk. */
  NavigableMap<Key, Map<String, Value>> source(Index index) {
    return index == null ? items : index.entries;
  }

  List<Index> globalIndexes() {
    var list = new ArrayList<Index>();
    indexes.values().stream().filter(i -> i.global).forEach(list::add);
    return list;
  }

  List<Index> localIndexes() {
    var list = new ArrayList<Index>();
    indexes.values().stream().filter(i -> !i.global).forEach(list::add);
    return list;
  }

  static final Comparator<Key> ORDER = Comparator.naturalOrder();
}
