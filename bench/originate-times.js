// Preloaded by bench/dialer.js into the dialer daemon it measures
// (`node --import ./bench/originate-times.js bin/run.js dialer run ...`): notes when each
// Originate action is written to the manager's socket (its ActionID, the attempt id, and
// Date.now()), and on exit writes them as "id ms" lines to $CALLPLAN_BENCH_ORIGINATE_LOG. It
// splits the daemon's share of "agent ready → originate" from Asterisk's. One string test per
// socket write; changes nothing else.

import { writeFileSync } from 'node:fs';
import net from 'node:net';

const file = process.env.CALLPLAN_BENCH_ORIGINATE_LOG;
if (file) {
  const sent = [];
  const write = net.Socket.prototype.write;
  net.Socket.prototype.write = function (chunk, ...rest) {
    if (typeof chunk === 'string' && chunk.startsWith('Action: Originate\r\n')) {
      const id = /\r\nActionID: ([^\r]+)\r\n/.exec(chunk)?.[1];
      if (id) sent.push(`${id} ${Date.now()}`);
    }
    return write.call(this, chunk, ...rest);
  };
  process.on('exit', () => writeFileSync(file, `${sent.join('\n')}\n`));
}
