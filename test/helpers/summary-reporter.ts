import type { Reporter } from 'vitest/reporters';

interface Task {
  type: string;
  mode?: string;
  result?: { state?: string };
  tasks?: Task[];
}

/** Ends the run with the plain "N passed, N failed, N skipped" line CI tools read, whatever vitest's own summary looks like. */
export default class SummaryReporter implements Reporter {
  onFinished(files: Task[] = []): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const walk = (t: Task) => {
      if (t.type === 'test') {
        if (t.result?.state === 'pass') counts.passed++;
        else if (t.result?.state === 'fail') counts.failed++;
        else counts.skipped++;
      }
      t.tasks?.forEach(walk);
    };
    files.forEach(walk);
    // A file that failed to load has no tests but did fail.
    const brokenFiles = files.filter((f) => f.result?.state === 'fail' && !f.tasks?.length).length;
    process.stdout.write(`\n${counts.passed} passed, ${counts.failed + brokenFiles} failed, ${counts.skipped} skipped\n`);
  }
}
