package dev.xerosync.infra.aws.dynamodb;

import static dev.xerosync.infra.aws.dynamodb.Evaluation.operand;
import static dev.xerosync.infra.aws.dynamodb.Evaluation.resolve;

import dev.xerosync.infra.aws.dynamodb.Expressions.Path;
import dev.xerosync.infra.aws.dynamodb.Expressions.Update;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** An update expression's SET, REMOVE, ADD and DELETE actions applied to an item. */
final class UpdateApplication {
  private UpdateApplication() {}

  /** The item after the update, and the top-level attributes the update touched. */
  record Applied(Map<String, Value> item, Set<String> touched) {}

  static Applied apply(Map<String, Value> original, Update update) {
    // Every right-hand side reads the item as it was before this update.
    var setValues = new LinkedHashMap<Path, Value>();
    update.set().forEach((path, operand) -> setValues.put(path, operand(original, operand)));
    var item = new LinkedHashMap<>(original);
    var touched = new LinkedHashSet<String>();
    for (var e : setValues.entrySet()) {
      if (e.getValue() == null) {
        throw DynamoError.validation(
            "The provided expression refers to an attribute that does not exist in the item");
      }
      put(item, e.getKey(), e.getValue());
      touched.add(e.getKey().top());
    }
    // Removals from one list use the original indexes, so the highest go first.
    var removals = new ArrayList<>(update.remove());
    removals.sort(
        Comparator.comparing((Path p) -> p.elements().getLast() instanceof Integer i ? i : -1)
            .reversed());
    for (var path : removals) {
      remove(item, path);
      touched.add(path.top());
    }
    for (var e : update.add().entrySet()) {
      var path = e.getKey();
      var current = resolve(item, path);
      var addend = e.getValue();
      Value result;
      if (current == null) {
        result = addend;
      } else if (current instanceof Value.N n && addend instanceof Value.N a) {
        result = Value.arithmetic(n.value(), a.value(), true);
      } else if (current instanceof Value.SS s && addend instanceof Value.SS a) {
        var union = new LinkedHashSet<>(s.values());
        union.addAll(a.values());
        result = new Value.SS(union);
      } else if (current instanceof Value.NS s && addend instanceof Value.NS a) {
        var union = new LinkedHashSet<>(s.values());
        union.addAll(a.values());
        result = new Value.NS(union);
      } else if (current instanceof Value.BS s && addend instanceof Value.BS a) {
        var union = new LinkedHashSet<>(s.values());
        union.addAll(a.values());
        result = new Value.BS(union);
      } else {
        throw DynamoError.validation(
            "An operand in the update expression has an incorrect data type");
      }
      put(item, path, result);
      touched.add(path.top());
    }
    for (var e : update.delete().entrySet()) {
      var path = e.getKey();
      var current = resolve(item, path);
      var removed = e.getValue();
      if (current == null) {
        continue;
      }
      Value result;
      if (current instanceof Value.SS s && removed instanceof Value.SS r) {
        var rest = new LinkedHashSet<>(s.values());
        rest.removeAll(r.values());
        result = rest.isEmpty() ? null : new Value.SS(rest);
      } else if (current instanceof Value.NS s && removed instanceof Value.NS r) {
        var rest = new LinkedHashSet<>(s.values());
        rest.removeAll(r.values());
        result = rest.isEmpty() ? null : new Value.NS(rest);
      } else if (current instanceof Value.BS s && removed instanceof Value.BS r) {
        var rest = new LinkedHashSet<>(s.values());
        rest.removeAll(r.values());
        result = rest.isEmpty() ? null : new Value.BS(rest);
      } else {
        throw DynamoError.validation(
            "An operand in the update expression has an incorrect data type");
      }
      if (result == null) {
        remove(item, path);
      } else {
        put(item, path, result);
      }
      touched.add(path.top());
    }
    return new Applied(item, touched);
  }

  private static DynamoError invalidPath() {
    return DynamoError.validation(
        "The document path provided in the update expression is invalid for update");
  }

  private static void put(Map<String, Value> item, Path path, Value value) {
    if (path.isTop()) {
      item.put(path.top(), value);
      return;
    }
    item.put(path.top(), putIn(item.get(path.top()), path.elements(), 1, value));
  }

  private static Value putIn(Value container, List<Object> elements, int at, Value value) {
    var element = elements.get(at);
    boolean last = at == elements.size() - 1;
    if (element instanceof String name) {
      if (!(container instanceof Value.M m)) {
        throw invalidPath();
      }
      var copy = new LinkedHashMap<>(m.values());
      if (last) {
        copy.put(name, value);
      } else {
        copy.put(name, putIn(copy.get(name), elements, at + 1, value));
      }
      return new Value.M(copy);
    }
    if (!(container instanceof Value.L l)) {
      throw invalidPath();
    }
    int index = (Integer) element;
    var copy = new ArrayList<>(l.values());
    if (last) {
      if (index >= copy.size()) {
        copy.add(value);
      } else {
        copy.set(index, value);
      }
    } else {
      if (index >= copy.size()) {
        throw invalidPath();
      }
      copy.set(index, putIn(copy.get(index), elements, at + 1, value));
    }
    return new Value.L(copy);
  }

  private static void remove(Map<String, Value> item, Path path) {
    if (path.isTop()) {
      item.remove(path.top());
      return;
    }
    var top = item.get(path.top());
    if (top == null) {
      return;
    }
    item.put(path.top(), removeIn(top, path.elements(), 1));
  }

  private static Value removeIn(Value container, List<Object> elements, int at) {
    var element = elements.get(at);
    boolean last = at == elements.size() - 1;
    if (element instanceof String name) {
      if (!(container instanceof Value.M m)) {
        throw invalidPath();
      }
      var copy = new LinkedHashMap<>(m.values());
      if (last) {
        copy.remove(name);
      } else if (copy.containsKey(name)) {
        copy.put(name, removeIn(copy.get(name), elements, at + 1));
      }
      return new Value.M(copy);
    }
    if (!(container instanceof Value.L l)) {
      throw invalidPath();
    }
    int index = (Integer) element;
    var copy = new ArrayList<>(l.values());
    if (index < copy.size()) {
      if (last) {
        copy.remove(index);
      } else {
        copy.set(index, removeIn(copy.get(index), elements, at + 1));
      }
    }
    return new Value.L(copy);
  }
}
