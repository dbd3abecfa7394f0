import { writeFileSync } from 'node:fs';
import type { Reporter, TestCase, TestModule } from 'vitest/node';

/** Prints each failure, then the plain closing line `N passed, N failed[, N skipped]`. */
export default class CountReporter implements Reporter {
  private passed = 0;
  private failed = 0;
  private skipped = 0;
  private readonly failures: string[] = [];

  onTestCaseResult(test: TestCase): void {
    const result = test.result();
    if (result.state === 'passed') this.passed++;
    else if (result.state === 'failed') {
      this.failed++;
      const messages =
        result.errors
          ?.map((e) => `${e.name ?? 'Error'}: ${e.message}\n${e.diff ?? ''}\n${e.stack ?? ''}`)
          .join('\n') ?? '';
      this.failures.push(`FAIL ${test.module.moduleId} > ${test.fullName}\n${messages}`);
      process.stderr.write(`FAIL ${test.fullName}\n`);
    } else this.skipped++;
  }

  onTestModuleCollected(): void {}

  onTestRunEnd(modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<unknown>): void {
    for (const m of modules) {
      // Errors outside a test (imports, beforeAll/afterAll hooks) fail the run too.
      for (const e of m.errors()) {
        this.failed++;
        this.failures.push(`FAIL ${m.moduleId}\n${e.stack ?? e.message}`);
      }
      for (const suite of m.children.allSuites()) {
        for (const e of suite.errors()) {
          this.failed++;
          this.failures.push(`FAIL ${m.moduleId} > ${suite.fullName}\n${e.stack ?? e.message}`);
        }
      }
    }
    for (const e of errors) {
      this.failed++;
      this.failures.push(`ERROR ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
    for (const f of this.failures) process.stdout.write(`\n${f}\n`);
    const summary = { passed: this.passed, failed: this.failed, skipped: this.skipped };
    if (process.env.EARSHOT_TEST_SUMMARY)
      writeFileSync(process.env.EARSHOT_TEST_SUMMARY, JSON.stringify(summary));
    const skipped = this.skipped ? `, ${this.skipped} skipped` : '';
    process.stdout.write(`\n${this.passed} passed, ${this.failed} failed${skipped}\n`);
  }
}
