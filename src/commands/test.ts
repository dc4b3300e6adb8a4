import { Args } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { EXIT } from '../cli/exit-codes.js';
import { loadCallflowTests } from '../callflow/load-tests.js';
import { failureDiagnostics, runTest, type TestResult } from '../callflow/tests.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { formatDiagnostics } from '../diagnostics/formatters/index.js';
import { realFs } from '../model/load/project-fs.js';
import { checkProject } from '../project/check.js';

export default class Test extends BaseCommand {
  static override summary = 'Run the call-flow tests in tests/*.yaml.';
  static override description = `Each test names a call (to, from, at a time with its zone, digits pressed, who does not answer, sites forced open or closed) and what must happen (places it reaches or avoids, how it ends, the trunk order of an outbound call). Every test runs through the same walk as \`callplan trace\`; a failure is reported at the test's file:line:col with the expected and the actual path.

Exit codes: 0 every test passed, 1 a test failed (or the project or a test file is invalid), 2 usage error.`;
  static override examples = ['<%= config.bin %> <%= command.id %> examples/sales-ru-follow-the-sun', '<%= config.bin %> <%= command.id %> . --format github'];
  static override args = {
    path: Args.string({ description: 'Project directory (holding callplan.yaml and tests/).', default: '.' }),
  };
  static override flags = { format: BaseCommand.formatFlag };

  async run(): Promise<{ passed: number; failed: number; results: TestResult[] }> {
    const { args, flags } = await this.parse(Test);
    const cwd = process.cwd();
    const { diagnostics, model, rootDir } = checkProject(args.path, { env: process.env, cwd });
    if (!model) {
      process.stdout.write(formatDiagnostics(diagnostics, flags.format));
      return this.exit(EXIT.invalid);
    }
    const loaded = loadCallflowTests(realFs, rootDir!, cwd);
    if (loaded.tests.length === 0 && loaded.diagnostics.length === 0) {
      // A CI job that runs no test must not pass silently.
      this.logToStderr(`callplan: no call-flow tests in ${args.path}/tests/*.yaml (see \`callplan test --help\`)`);
      return this.exit(EXIT.invalid);
    }
    const results: TestResult[] = loaded.tests.map(({ test, file, line, column }) => ({ name: test.name, file, line, column, ...runTest(model, test) }));
    const problems = [...loaded.diagnostics, ...failureDiagnostics(results)];
    const failed = results.filter((r) => r.failures.length > 0).length;
    if (flags.format === 'json') {
      process.stdout.write(JSON.stringify({ passed: results.length - failed, failed, problems, results }, null, 2) + '\n');
    } else if (flags.format === 'github') {
      process.stdout.write(formatDiagnostics(problems, 'github'));
    } else {
      for (const r of results) process.stdout.write(`${r.failures.length === 0 ? '✓' : '✗'} ${r.name}\n`);
      if (problems.length > 0) process.stdout.write('\n' + formatDiagnostics(problems, 'text'));
      process.stdout.write(`\n${results.length - failed} passed, ${failed} failed\n`);
    }
    if (failed > 0 || hasErrors(loaded.diagnostics)) this.exit(EXIT.invalid);
    return { passed: results.length - failed, failed, results };
  }
}
