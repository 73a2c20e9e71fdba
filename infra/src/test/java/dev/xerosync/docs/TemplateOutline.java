package dev.xerosync.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the checks need of template.yaml, read line by line (its layout is regular). */
record TemplateOutline(
    Map<String, String> resources,
    Map<String, Boolean> parameters,
    Set<String> outputs,
    Set<String> routes,
    Set<String> environment) {

  boolean hasRoute(String method, String path) {
    String wanted = normalise(path);
    if (wanted.startsWith("…/")) {
      String tail = wanted.substring(1);
      return routes.stream().anyMatch(r -> r.startsWith(method + " ") && r.endsWith(tail));
    }
    return routes.contains(method + " " + wanted);
  }

  /** Placeholders of any spelling ({@code {id}}, {@code <tenantId>}, {@code $TENANT}) as {}. */
  static String normalise(String path) {
    String p = path.replaceFirst("^/v1(?=/)", "");
    p = p.replaceAll("\\{[^}]*\\}|<[^>]*>|\\$[A-Z_]+", "{}");
    return p.endsWith("/") && p.length() > 1 ? p.substring(0, p.length() - 1) : p;
  }

  static TemplateOutline read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> resources = new LinkedHashMap<>();
    Map<String, Boolean> parameters = new LinkedHashMap<>();
    Set<String> outputs = new TreeSet<>();
    Set<String> routes = new TreeSet<>();
    String section = "";
    String key = null;
    String path = null;
    Set<String> environment = new TreeSet<>();
    int variablesIndent = -1;
    for (String line : lines) {
      int indent = line.length() - line.stripLeading().length();
      if (variablesIndent >= 0 && (line.isBlank() || indent > variablesIndent)) {
        Matcher variable = Pattern.compile("^\\s+([A-Z][A-Z0-9_]*):").matcher(line);
        if (variable.find()) {
          environment.add(variable.group(1));
        }
        continue;
      }
      variablesIndent = line.matches("^\\s+Variables:\\s*$") ? indent : -1;
      Matcher top = Pattern.compile("^([A-Za-z]+):").matcher(line);
      Matcher second = Pattern.compile("^  ([A-Za-z0-9]+):\\s*$").matcher(line);
      if (top.find()) {
        section = top.group(1);
        key = null;
      } else if (second.find()) {
        key = second.group(1);
        switch (section) {
          case "Parameters" -> parameters.put(key, false);
          case "Outputs" -> outputs.add(key);
          default -> {}
        }
      } else if (key != null && section.equals("Resources")) {
        Matcher type = Pattern.compile("^    Type: (\\S+)").matcher(line);
        Matcher p = Pattern.compile("^\\s+Path: (\\S+)").matcher(line);
        Matcher method = Pattern.compile("^\\s+Method: (\\S+)").matcher(line);
        if (type.find()) {
          resources.put(key, type.group(1));
        } else if (p.find()) {
          path = p.group(1);
        } else if (method.find() && path != null) {
          routes.add(method.group(1).toUpperCase() + " " + normalise(path));
          path = null;
        }
      } else if (key != null && section.equals("Parameters") && line.matches("^    Default:.*")) {
        parameters.put(key, true);
      }
    }
    return new TemplateOutline(resources, parameters, outputs, routes, environment);
  }
}
