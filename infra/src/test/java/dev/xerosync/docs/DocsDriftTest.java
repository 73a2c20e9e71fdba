package dev.xerosync.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * README.md and docs/*.md against the code they describe: a statement that can drift fails here
 * when it does. Reads files only (template.yaml, the OpenAPI document, the sources that print
 * benchmark figures, the dev script); it boots nothing.
 */
class DocsDriftTest {
  private static final Path ROOT = root();
  private static final List<Doc> DOCS = docs();
  private static final TemplateOutline TEMPLATE =
      TemplateOutline.read(ROOT.resolve("template.yaml"));

  /** A Markdown file, with its fenced code blocks blanked for checks that read prose only. */
  record Doc(Path path, String text, String prose) {
    /** File and line of an offset into {@link #text} or {@link #prose} (same lines in both). */
    String where(int offset) {
      return where(text, offset);
    }

    String whereInProse(int offset) {
      return where(prose, offset);
    }

    private String where(String of, int offset) {
      return ROOT.relativize(path) + ":" + of.substring(0, offset).split("\n", -1).length;
    }
  }

  // ---- benchmark figures

  private static final Pattern BACKTICKED = Pattern.compile("`([^`\n]+)`");
  private static final Pattern FIGURE_SPAN =
      Pattern.compile(
          "([a-z][a-z0-9]*(?:-[a-z0-9]+)+)(-\\*)?(?::\\s*(-?[0-9][0-9.,]*)(?:\\s.*)?)?");

  /**
   * How a figure's name ends (figures are {@code name: value unit}, the name saying its unit), so
   * that other hyphenated words in backticks ({@code x-api-key}, {@code playwright-core}) are not
   * taken for figures. A span with a numeric value is a figure whatever its name.
   */
  private static final Pattern FIGURE_NAME_END =
      Pattern.compile(
          ".*-(ms|s|kb|mb|429s|per-[a-z0-9-]+|differences|duplicates|lost|missing|held-back"
              + "|operations|calls|requests)$");

  @Test
  void everyBenchmarkFigureNamedIsPrinted() {
    PrintedFigures printed = PrintedFigures.read(ROOT);
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (Doc doc : DOCS) {
      Matcher m = BACKTICKED.matcher(doc.prose());
      while (m.find()) {
        Matcher f = FIGURE_SPAN.matcher(m.group(1));
        if (!f.matches()) {
          continue;
        }
        String name = f.group(1);
        boolean prefix = f.group(2) != null;
        boolean figure = f.group(3) != null || prefix || FIGURE_NAME_END.matcher(name).matches();
        checked += figure ? 1 : 0;
        if (figure && !(prefix ? printed.hasPrefix(name + "-") : printed.has(name))) {
          wrong.add(doc.whereInProse(m.start()) + ": no benchmark prints `" + m.group(1) + "`");
        }
      }
    }
    assertThat(checked).as("figures named").isGreaterThan(50);
    assertThat(wrong).as("figures named in the docs that no benchmark prints").isEmpty();
  }

  // ---- template.yaml: resources, parameters, outputs, routes

  private static final Pattern RESOURCE_WORD =
      Pattern.compile("\\b[A-Z][A-Za-z0-9]*(?:Function|Alarm|Queue)\\b");
  private static final Pattern OUTPUT_OR_PARAMETER_WORD =
      Pattern.compile("^[A-Z][A-Za-z0-9]*(?:Url|Uri|Arn|Name)$");

  @Test
  void everyFunctionQueueAndAlarmNamedIsInTheTemplate() {
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (Doc doc : DOCS) {
      Matcher m = RESOURCE_WORD.matcher(doc.text());
      while (m.find()) {
        checked++;
        if (!TEMPLATE.resources().containsKey(m.group())) {
          wrong.add(doc.where(m.start()) + ": template.yaml has no resource " + m.group());
        }
      }
    }
    assertThat(checked).as("resources named").isPositive();
    assertThat(wrong).isEmpty();
  }

  @Test
  void everyOutputOrParameterNamedIsInTheTemplate() {
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (Doc doc : DOCS) {
      Matcher m = BACKTICKED.matcher(doc.prose());
      while (m.find()) {
        String word = m.group(1);
        if (!OUTPUT_OR_PARAMETER_WORD.matcher(word).matches()
            || !lineAt(doc.prose(), m.start()).toLowerCase().contains("output")) {
          continue;
        }
        checked++;
        if (!TEMPLATE.outputs().contains(word) && !TEMPLATE.parameters().containsKey(word)) {
          wrong.add(
              doc.whereInProse(m.start()) + ": template.yaml has no output or parameter " + word);
        }
      }
      Matcher key = Pattern.compile("OutputKey=='(\\w+)'").matcher(doc.text());
      while (key.find()) {
        checked++;
        if (!TEMPLATE.outputs().contains(key.group(1))) {
          wrong.add(doc.where(key.start()) + ": template.yaml has no output " + key.group(1));
        }
      }
    }
    assertThat(checked).as("outputs named").isPositive();
    assertThat(wrong).isEmpty();
  }

  private static final Pattern LAMBDA_COUNT =
      Pattern.compile(
          "\\b(\\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\\s+Lambda"
              + "\\s+functions\\b");
  private static final List<String> NUMBERS =
      List.of(
          "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve");

  @Test
  void everyCountOfLambdaFunctionsIsTheTemplates() {
    long functions =
        TEMPLATE.resources().values().stream().filter("AWS::Serverless::Function"::equals).count();
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (Doc doc : DOCS) {
      Matcher m = LAMBDA_COUNT.matcher(doc.text());
      while (m.find()) {
        checked++;
        String n = m.group(1);
        long said = Character.isDigit(n.charAt(0)) ? Long.parseLong(n) : NUMBERS.indexOf(n);
        if (said != functions) {
          wrong.add(
              doc.where(m.start()) + ": says " + m.group() + ", template.yaml has " + functions);
        }
      }
    }
    assertThat(checked).as("counts of Lambda functions stated").isPositive();
    assertThat(wrong).isEmpty();
  }

  /** The code map's function table names every function of the template, and nothing else. */
  @Test
  void theCodeMapListsEveryFunctionAndPackage() throws IOException {
    String map = Files.readString(ROOT.resolve("docs/code-map.md"));
    Set<String> functions = new TreeSet<>();
    TEMPLATE
        .resources()
        .forEach(
            (id, type) -> {
              if (type.equals("AWS::Serverless::Function")) {
                functions.add(id);
              }
            });
    assertThat(tableColumn(map, "## Functions"))
        .as("docs/code-map.md, Functions: one row per function of template.yaml")
        .containsExactlyInAnyOrderElementsOf(functions);

    Set<String> packages = new TreeSet<>();
    try (Stream<Path> dirs = Files.list(ROOT.resolve("functions/src/main/java/dev/xerosync"))) {
      dirs.filter(Files::isDirectory).forEach(d -> packages.add(d.getFileName().toString()));
    }
    assertThat(tableColumn(map, "## Packages of `functions/`"))
        .as("docs/code-map.md, Packages: one row per package of functions/")
        .containsExactlyInAnyOrderElementsOf(packages);
  }

  /** The backticked words of a table's first column, in the section under {@code heading}. */
  private static List<String> tableColumn(String markdown, String heading) {
    int start = markdown.indexOf("\n" + heading + "\n");
    assertThat(start).as("docs/code-map.md has a section " + heading).isNotNegative();
    int end = markdown.indexOf("\n## ", start + 1);
    String section = markdown.substring(start, end < 0 ? markdown.length() : end);
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)^\\| `([^`]+)` \\|").matcher(section);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /**
   * A non-guided deploy command names only parameters the template has, and every parameter that
   * has no default (CloudFormation refuses the stack without one).
   */
  @Test
  void everyDeployCommandGivesEveryRequiredParameter() {
    List<String> wrong = new ArrayList<>();
    Set<String> required = new TreeSet<>();
    TEMPLATE
        .parameters()
        .forEach(
            (name, hasDefault) -> {
              if (!hasDefault) {
                required.add(name);
              }
            });
    int commands = 0;
    for (Doc doc : DOCS) {
      Matcher m = Pattern.compile("sam deploy (?:[^\n]*\\\\\n)*[^\n]*").matcher(doc.text());
      while (m.find()) {
        String command = m.group();
        int overrides = command.indexOf("--parameter-overrides");
        if (overrides < 0) {
          continue;
        }
        commands++;
        Set<String> given = new TreeSet<>();
        Matcher p = Pattern.compile("\\b([A-Z][A-Za-z0-9]*)=").matcher(command);
        p.region(overrides, command.length());
        while (p.find()) {
          given.add(p.group(1));
          if (!TEMPLATE.parameters().containsKey(p.group(1))) {
            wrong.add(doc.where(m.start()) + ": template.yaml has no parameter " + p.group(1));
          }
        }
        for (String r : required) {
          if (!given.contains(r)) {
            wrong.add(
                doc.where(m.start()) + ": sam deploy leaves out " + r + ", which has no default");
          }
        }
      }
    }
    assertThat(commands).as("deploy commands with --parameter-overrides").isPositive();
    assertThat(wrong).isEmpty();
  }

  /** The deploy guide's parameter table names every parameter of the template. */
  @Test
  void theDeployGuideNamesEveryParameter() throws IOException {
    String deploy = Files.readString(ROOT.resolve("docs/deploy.md"));
    assertThat(TEMPLATE.parameters().keySet())
        .allSatisfy(
            p -> assertThat(deploy).as("docs/deploy.md names " + p).contains("`" + p + "`"));
  }

  private static final String METHOD = "(?:GET|POST|PUT|DELETE|PATCH|OPTIONS)";
  private static final Pattern ROUTE =
      Pattern.compile("\\b(" + METHOD + "(?:/" + METHOD + ")*) ((?:/|…/)[a-z][^\\s`'\",;)]*)");

  @Test
  void everyRouteNamedIsInTheTemplate() {
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (Doc doc : DOCS) {
      Matcher m = ROUTE.matcher(doc.text());
      while (m.find()) {
        String path = m.group(2).replaceAll("[.:]+$", "");
        int query = path.indexOf('?');
        if (query >= 0) {
          path = path.substring(0, query);
        }
        for (String method : m.group(1).split("/")) {
          for (String variant : optionalParts(path)) {
            checked++;
            if (!TEMPLATE.hasRoute(method, variant)) {
              wrong.add(
                  doc.where(m.start()) + ": template.yaml has no route " + method + " " + variant);
            }
          }
        }
      }
    }
    assertThat(checked).as("routes named").isGreaterThan(20);
    assertThat(wrong).isEmpty();
  }

  /** {@code /a[/{b}]} is two routes, {@code /a} and {@code /a/{b}}. */
  private static List<String> optionalParts(String path) {
    Matcher m = Pattern.compile("\\[([^\\]]*)\\]").matcher(path);
    if (!m.find()) {
      return List.of(path);
    }
    return List.of(
        path.substring(0, m.start()) + path.substring(m.end()),
        path.substring(0, m.start()) + m.group(1) + path.substring(m.end()));
  }

  // ---- query parameters

  /** A line that addresses our API (not Xero's, not the simulator's consent page). */
  private static final Pattern API_LINE =
      Pattern.compile("/v1[/?]|\\$B/|\\$API\\b|<api>|<ApiUrl>|\\b" + METHOD + " (?:/|…/)[a-z]");

  private static final Pattern QUERY_PARAMETER = Pattern.compile("[?&]([A-Za-z_][A-Za-z0-9_]*)=");
  private static final Pattern BACKTICKED_QUERY = Pattern.compile("`\\?([A-Za-z_][A-Za-z0-9_]*)=");

  @Test
  void everyQueryParameterNamedIsOneTheApiTakes() throws IOException {
    Set<String> taken = queryParametersTaken();
    assertThat(taken)
        .as("query parameters found in the OpenAPI document and the code")
        .isNotEmpty();
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (Doc doc : DOCS) {
      String[] lines = doc.text().split("\n", -1);
      int offset = 0;
      for (String line : lines) {
        if (API_LINE.matcher(line).find()) {
          Matcher m = QUERY_PARAMETER.matcher(line);
          while (m.find()) {
            checked++;
            if (!taken.contains(m.group(1))) {
              wrong.add(doc.where(offset) + ": the API takes no query parameter " + m.group(1));
            }
          }
        }
        offset += line.length() + 1;
      }
      Matcher b = BACKTICKED_QUERY.matcher(doc.text());
      while (b.find()) {
        checked++;
        if (!taken.contains(b.group(1))) {
          wrong.add(doc.where(b.start()) + ": the API takes no query parameter " + b.group(1));
        }
      }
    }
    assertThat(checked).as("query parameters named").isGreaterThan(5);
    assertThat(wrong).isEmpty();
  }

  /** The OpenAPI document's query parameters, and those the handlers read themselves. */
  private static Set<String> queryParametersTaken() throws IOException {
    Set<String> names = new TreeSet<>();
    List<String> openapi =
        Files.readAllLines(ROOT.resolve("functions/src/main/resources/openapi.yaml"));
    for (int i = 0; i < openapi.size(); i++) {
      if (openapi.get(i).trim().equals("in: query")) {
        for (int j = i - 1; j >= Math.max(0, i - 3); j--) {
          Matcher n = Pattern.compile("name: (\\S+)").matcher(openapi.get(j));
          if (n.find()) {
            names.add(n.group(1));
            break;
          }
        }
      }
    }
    Pattern read = Pattern.compile("\\bquery\\((?:\\w+,\\s*)?\"(\\w+)\"\\)");
    try (Stream<Path> files = Files.walk(ROOT.resolve("functions/src/main/java"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher m = read.matcher(Files.readString(f));
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    return names;
  }

  // ---- environment variables

  private static final Pattern ENV_NAME = Pattern.compile("[A-Z][A-Z0-9]*_[A-Z0-9_]+");

  /**
   * docs/configuration.md names every variable the template sets and every one the functions read,
   * and no variable that neither does.
   */
  @Test
  void theConfigurationNamesEveryEnvironmentVariable() throws IOException {
    String config = Files.readString(ROOT.resolve("docs/configuration.md"));
    Set<String> documented = new TreeSet<>();
    Matcher row = Pattern.compile("(?m)^\\| (`[^|]+`) \\|").matcher(config);
    while (row.find()) {
      Matcher name = Pattern.compile("`(" + ENV_NAME.pattern() + ")`").matcher(row.group(1));
      while (name.find()) {
        documented.add(name.group(1));
      }
    }
    Set<String> read = new TreeSet<>();
    Set<String> literals = new TreeSet<>();
    Pattern reads =
        Pattern.compile(
            "(?:\\.(?:get|getInt|getLong|required|optional)|getenv|AppSecrets\\.field\\([^;]*?)\\(?\\s*\"("
                + ENV_NAME.pattern()
                + ")\"");
    try (Stream<Path> files = Files.walk(ROOT.resolve("functions/src/main/java"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String code = Files.readString(f);
        Matcher m = reads.matcher(code);
        while (m.find()) {
          read.add(m.group(1));
        }
        Matcher l = Pattern.compile("\"(" + ENV_NAME.pattern() + ")\"").matcher(code);
        while (l.find()) {
          literals.add(l.group(1));
        }
      }
    }
    assertThat(read).as("variables the functions read").contains("TABLE_NAME", "APP_SECRET_ID");
    assertThat(documented)
        .as("docs/configuration.md names every variable template.yaml sets")
        .containsAll(TEMPLATE.environment());
    assertThat(documented)
        .as("docs/configuration.md names every variable the functions read")
        .containsAll(read);
    Set<String> known = new TreeSet<>(literals);
    known.addAll(TEMPLATE.environment());
    assertThat(known).as("variables docs/configuration.md names").containsAll(documented);
  }

  // ---- ./dev

  @Test
  void everyDevCommandAndBenchmarkNamedExists() throws IOException {
    Set<String> commands = new TreeSet<>();
    Matcher label =
        Pattern.compile("(?m)^\\s+([a-z|-]+)\\)\\s*$")
            .matcher(Files.readString(ROOT.resolve("dev")));
    while (label.find()) {
      commands.addAll(List.of(label.group(1).split("\\|")));
    }
    assertThat(commands).contains("up", "test");
    Path bench = ROOT.resolve("infra/src/test/java/dev/xerosync/bench");
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (Doc doc : DOCS) {
      Matcher m = Pattern.compile("\\./dev ([a-z][a-z-]*)").matcher(doc.text());
      while (m.find()) {
        checked++;
        if (!commands.contains(m.group(1))) {
          wrong.add(doc.where(m.start()) + ": ./dev has no command " + m.group(1));
        }
      }
      Matcher b = Pattern.compile("\\./dev bench ([A-Z]\\w*[a-z]\\w*)").matcher(doc.text());
      while (b.find()) {
        if (!Files.isRegularFile(bench.resolve(b.group(1) + ".java"))) {
          wrong.add(doc.where(b.start()) + ": there is no benchmark " + b.group(1));
        }
      }
    }
    assertThat(checked).as("./dev commands named").isGreaterThan(10);
    assertThat(wrong).isEmpty();
  }

  /** README keeps the two commands a newcomer needs, exactly so. */
  @Test
  void theReadmeStatesTheTwoCommands() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    assertThat(readme).contains("```sh\n./dev up\n```", "```sh\n./dev test\n```");
  }

  // ---- links

  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

  @Test
  void everyRelativeLinkLeadsSomewhere() throws IOException {
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (Doc doc : DOCS) {
      Matcher m = LINK.matcher(doc.prose());
      while (m.find()) {
        String target = m.group(1);
        if (target.matches("^[a-z]+:.*")) {
          continue;
        }
        checked++;
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path resolved =
            file.isEmpty() ? doc.path() : doc.path().getParent().resolve(file).normalize();
        if (!Files.exists(resolved)) {
          wrong.add(doc.whereInProse(m.start()) + ": " + target + " leads nowhere");
        } else if (anchor != null
            && resolved.toString().endsWith(".md")
            && !anchors(Files.readString(resolved)).contains(anchor)) {
          wrong.add(
              doc.whereInProse(m.start())
                  + ": "
                  + ROOT.relativize(resolved)
                  + " has no heading #"
                  + anchor);
        }
      }
    }
    assertThat(checked).as("relative links").isGreaterThan(20);
    assertThat(wrong).isEmpty();
  }

  /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
  private static Set<String> anchors(String markdown) {
    Set<String> out = new TreeSet<>();
    Matcher h = Pattern.compile("(?m)^#{1,6} (.+)$").matcher(withoutCodeBlocks(markdown));
    while (h.find()) {
      out.add(
          h.group(1).trim().toLowerCase().replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
    }
    return out;
  }

  // ---- what the checks read

  private static String lineAt(String text, int offset) {
    int start = text.lastIndexOf('\n', offset) + 1;
    int end = text.indexOf('\n', offset);
    return text.substring(start, end < 0 ? text.length() : end);
  }

  private static String withoutCodeBlocks(String markdown) {
    StringBuilder out = new StringBuilder();
    boolean fenced = false;
    for (String line : markdown.split("\n", -1)) {
      if (line.stripLeading().startsWith("```")) {
        fenced = !fenced;
        out.append('\n');
        continue;
      }
      out.append(fenced ? "" : line).append('\n');
    }
    return out.toString();
  }

  private static List<Doc> docs() {
    List<Path> files = new ArrayList<>();
    files.add(ROOT.resolve("README.md"));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Doc> out = new ArrayList<>();
    for (Path f : files) {
      try {
        String text = Files.readString(f);
        out.add(new Doc(f, text, withoutCodeBlocks(text)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  private static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null
        && !(Files.isRegularFile(dir.resolve("template.yaml"))
            && Files.isRegularFile(dir.resolve("dev")))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(
          "no repository root (template.yaml and dev) above the working directory");
    }
    return dir;
  }
}
