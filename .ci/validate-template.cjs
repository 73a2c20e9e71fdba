// Validates a CloudFormation/SAM template offline with @aws/cloudformation-validate (bundled schemas
// and cfn-lint rules, no AWS account). The package has no CLI; this is ours.
// Usage: node validate-template.cjs template.yaml
// Prints every diagnostic; exits 1 when the report is not OK or any diagnostic is WARN or worse.
"use strict";
const { RegoEngine, TemplateFile } = require("@aws/cloudformation-validate");

const path = process.argv[2];
if (!path) {
  console.error("usage: node validate-template.cjs <template.yaml>");
  process.exit(2);
}
const failing = new Set(["FATAL", "ERROR", "WARN"]);
const engine = new RegoEngine();
let failed = 0;
try {
  const report = engine.validateStandard(new TemplateFile(path), { severityLevel: "INFO" });
  for (const d of report.diagnostics) {
    const where = [d.entity && d.entity.logicalId, d.propertyPath].filter(Boolean).join(" ");
    console.log(`${path}:${d.startLine ?? "?"} [${d.severity}] ${d.ruleId} ${where}: ${d.message}`);
    if (failing.has(d.severity)) failed++;
  }
  console.log(`cloudformation-validate ${report.version}: status ${report.status}, ${report.diagnostics.length} diagnostics, ${failed} at WARN or worse`);
  if (report.status !== "OK") failed++;
} finally {
  engine.free();
}
process.exit(failed ? 1 : 0);
