// Preloaded by bench/run.js into the CLI it times (`node --import ./bench/rss-on-exit.js bin/run.js ...`):
// on exit, writes the process's peak RSS to stderr as one line run.js picks out:
//   [callplan-bench] {"maxRSSKiB":123456,"sinceStartMs":789.0}
// Costs one tiny module load; changes nothing else.

import { writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

process.on('exit', () => {
  const line = JSON.stringify({ maxRSSKiB: process.resourceUsage().maxRSS, sinceStartMs: performance.now() });
  writeSync(2, `\n[callplan-bench] ${line}\n`);
});
