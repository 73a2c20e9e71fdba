# sam build: every function's Metadata says BuildMethod: makefile, so SAM runs
# `make build-<LogicalId>` here with ARTIFACTS_DIR set, and zips what the target leaves there.
# All functions run the one deployment jar; SAM builds functions with the same CodeUri and
# Metadata once and copies the result to the others. Lambda's Java runtime puts lib/*.jar on the
# classpath, so the jar goes to $(ARTIFACTS_DIR)/lib.
# Tested by SamBuildMakefileTest (infra/src/test/java/dev/xerosync/template).

JAR := functions/target/functions-0.1.0-SNAPSHOT-lambda.jar
SOURCES := pom.xml functions/pom.xml $(shell find functions/src/main -type f)

build-%: $(JAR)
	@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set (sam build sets it)" >&2; exit 1; }
	mkdir -p "$(ARTIFACTS_DIR)/lib"
	cp "$(JAR)" "$(ARTIFACTS_DIR)/lib/"

# Rebuilt only when a source is newer; ./dev finds a JDK 21+ and runs the Maven wrapper.
$(JAR): $(SOURCES)
	./dev build -q -pl functions -am

.PHONY: jar
jar: $(JAR)
