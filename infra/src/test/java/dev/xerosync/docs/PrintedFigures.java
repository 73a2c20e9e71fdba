package dev.xerosync.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Names and name templates the benchmarks print, read from their sources. */
record PrintedFigures(Set<String> names, List<Pattern> templates, Set<String> stems) {
  private static final char WILD = '\u0000';

  boolean has(String name) {
    if (names.contains(name)) {
      return true;
    }
    for (Pattern t : templates) {
      Matcher m = t.matcher(name);
      if (m.matches() && groupsAreStems(m)) {
        return true;
      }
    }
    return false;
  }

  boolean hasPrefix(String prefix) {
    return names.stream().anyMatch(n -> n.startsWith(prefix))
        || templates.stream().anyMatch(t -> t.pattern().startsWith(Pattern.quote(prefix)));
  }

  private boolean groupsAreStems(Matcher m) {
    for (int g = 1; g <= m.groupCount(); g++) {
      if (!stems.contains(m.group(g))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Benchmarks and what they run (infra's test sources other than tests), the panel's browser
   * benchmark, and CI's loop. A printed name is a string ending in {@code ": "}; the parts a
   * benchmark fills in ({@code "coldstart-" + fn + "-ms: "}, {@code "%s-p50-ms: "}) are taken from
   * the string literals of the same sources.
   */
  static PrintedFigures read(Path root) {
    List<Path> sources = new ArrayList<>();
    try (Stream<Path> java = Files.walk(root.resolve("infra/src/test/java"));
        Stream<Path> js = Files.walk(root.resolve("panel/test"))) {
      java.filter(p -> p.toString().endsWith(".java"))
          .filter(Predicate.not(p -> p.getFileName().toString().endsWith("Test.java")))
          .forEach(sources::add);
      js.filter(p -> p.toString().endsWith(".mjs") || p.toString().endsWith(".js"))
          .forEach(sources::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    sources.add(root.resolve(".ci/run"));
    Set<String> names = new TreeSet<>();
    Set<String> templates = new TreeSet<>();
    Set<String> words = new TreeSet<>();
    Set<String> prefixes = new TreeSet<>();
    for (Path source : sources) {
      String text;
      try {
        text = Files.readString(source);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      boolean java = source.toString().endsWith(".java");
      for (String literal : joinedLiterals(text, java ? JAVA_LITERAL : LITERAL, words, prefixes)) {
        for (String line : literal.split("\n")) {
          Matcher m =
              Pattern.compile("([a-z0-9" + WILD + "][a-z0-9" + WILD + "-]*): ").matcher(line);
          while (m.find()) {
            (m.group(1).indexOf(WILD) < 0 ? names : templates).add(m.group(1));
          }
          if (line.matches("[a-z][a-z0-9]*(-[a-z0-9]+)+")) {
            names.add(line);
          }
        }
      }
    }
    Set<String> stems = new TreeSet<>(words);
    for (String p : prefixes) {
      for (String w : words) {
        stems.add(p + w);
      }
    }
    List<Pattern> patterns = new ArrayList<>();
    for (String t : templates) {
      StringBuilder regex = new StringBuilder();
      for (String part : t.split(String.valueOf(WILD), -1)) {
        if (!regex.isEmpty()) {
          regex.append("(.+)");
        }
        regex.append(part.isEmpty() ? "" : Pattern.quote(part));
      }
      patterns.add(Pattern.compile(regex.toString()));
    }
    return new PrintedFigures(names, patterns, stems);
  }

  private static final Pattern JAVA_LITERAL = Pattern.compile("\"((?:[^\"\\\\\n]|\\\\.)*)\"");
  private static final Pattern LITERAL =
      Pattern.compile(
          "\"((?:[^\"\\\\\n]|\\\\.)*)\"|'((?:[^'\\\\\n]|\\\\.)*)'|`((?:[^`\\\\]|\\\\.)*)`");
  private static final Pattern JOIN = Pattern.compile("\\s*\\+\\s*");
  private static final Pattern JOIN_EXPRESSION =
      Pattern.compile("\\s*\\+\\s*[^\"'`;{}]+?\\s*\\+\\s*");
  private static final Pattern EXPRESSION_BEFORE = Pattern.compile("[\\w.()]+\\s*\\+\\s*$");

  /**
   * String literals, with literals joined by {@code +} read as one string and whatever is filled in
   * (an expression between them, {@code %s}, {@code ${…}}) as {@link #WILD}. Collects the literals
   * that can be such a filling ({@code words}) or start one ({@code prefixes}).
   */
  static List<String> joinedLiterals(
      String text, Pattern literals, Set<String> words, Set<String> prefixes) {
    List<String> out = new ArrayList<>();
    Matcher m = literals.matcher(text);
    StringBuilder chain = null;
    int chainEnd = 0;
    while (m.find()) {
      String raw = m.group(1);
      for (int g = 2; raw == null && g <= m.groupCount(); g++) {
        raw = m.group(g);
      }
      if (raw.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
        words.add(raw);
      } else if (raw.matches("[a-z0-9-]*[a-z0-9]-")) {
        prefixes.add(raw);
      }
      String literal =
          raw.replace("%n", "\n")
              .replace("\\n", "\n")
              .replaceAll("%[-0-9.]*[sdf]", String.valueOf(WILD))
              .replaceAll("\\$\\{[^}]*\\}", String.valueOf(WILD));
      String gap = chain == null ? "" : text.substring(chainEnd, m.start());
      if (chain != null && JOIN.matcher(gap).matches()) {
        chain.append(literal);
      } else if (chain != null && JOIN_EXPRESSION.matcher(gap).matches()) {
        chain.append(WILD).append(literal);
      } else {
        if (chain != null) {
          out.add(chain.toString());
        }
        String before = text.substring(Math.max(chainEnd, m.start() - 60), m.start());
        chain =
            new StringBuilder(EXPRESSION_BEFORE.matcher(before).find() ? String.valueOf(WILD) : "");
        chain.append(literal);
      }
      chainEnd = m.end();
    }
    if (chain != null) {
      out.add(chain.toString());
    }
    return out;
  }
}
