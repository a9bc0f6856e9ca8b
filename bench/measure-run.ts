/**
 * Runs one rackplay invocation in this process and prints, as one JSON line on stderr:
 * the wall time, the time spent inside host connections, the task count and the peak RSS.
 * The benchmark starts this file as a child so each run's peak memory is its own.
 */
import { Writable } from 'node:stream';
import { main } from '../src/cli/main.js';

let recap: { durationMs: number; commandMs: number; timings?: { task: string; durationMs: number }[]; stats: Record<string, { ok: number; changed: number; failed: number; unreachable: number; skipped: number }> } | undefined;
let buffered = '';
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    buffered += chunk.toString();
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.includes('"type":"recap"')) recap = JSON.parse(line) as typeof recap;
      newline = buffered.indexOf('\n');
    }
    done();
  },
});
(sink as unknown as { isTTY: boolean }).isTTY = false;

const started = performance.now();
const code = await main([...process.argv.slice(2), '--output', 'json'], { stdout: sink as unknown as NodeJS.WriteStream, stderr: process.stderr });
const wallMs = performance.now() - started;
process.stderr.write(
  `${JSON.stringify({ code, wallMs, engineMs: recap?.durationMs, commandMs: recap?.commandMs, gatherMs: (recap?.timings ?? []).filter((entry) => entry.task === 'Gathering Facts').reduce((sum, entry) => sum + entry.durationMs, 0), maxRssKb: process.resourceUsage().maxRSS, stats: recap?.stats })}\n`,
);
process.exitCode = code;
