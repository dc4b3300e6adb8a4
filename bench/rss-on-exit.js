// Preloaded by bench/run.js into the CLI it times (`node --import ./bench/rss-on-exit.js bin/run.js ...`):
// on exit, writes the process's peak RSS to stderr as one line run.js picks out:
//   [callplan-bench] {"maxRSSKiB":123456,"sinceStartMs":789.0,"cpuMs":1234.5}
// (cpuMs: user + system CPU time of the process, less sensitive than wall time to a busy machine)
// Costs one tiny module load; changes nothing else.

import { writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

process.on('exit', () => {
  const usage = process.resourceUsage();
  const line = JSON.stringify({ maxRSSKiB: usage.maxRSS, sinceStartMs: performance.now(), cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 });
  writeSync(2, `\n[callplan-bench] ${line}\n`);
});
