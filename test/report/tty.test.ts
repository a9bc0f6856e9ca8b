import { stripVTControlCharacters as stripAnsi } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/events.js';
import { attachRenderer } from '../../src/report/index.js';
import { capture, EventBus, play, SCRIPT, TASKS } from './script.js';


/** Emits like the engine: asynchronously, a little apart, so the live view really redraws. */
async function playSlowly(bus: EventBus, events: readonly EngineEvent[] = SCRIPT, gapMs = 15): Promise<void> {
  for (const event of events) {
    bus.emit(event);
    await new Promise((resolve) => setTimeout(resolve, gapMs));
  }
}

describe('tty renderer', () => {
  const stdoutIsTty = process.stdout.isTTY;
  afterEach(() => {
    process.stdout.isTTY = stdoutIsTty;
  });

  it('falls back to line output on a non-terminal and runs to completion', async () => {
    const bus = new EventBus();
    const { out, text } = capture();
    const renderer = attachRenderer(bus, 'tty', { verbose: false, diff: true, out, color: false });
    play(bus);
    await renderer.done();
    const output = text();
    expect(output).toContain('TASK [write motd]  ok=1 changed=1 failed=0 unreachable=1');
    expect(output).toContain('fatal: [db1.example.internal]: UNREACHABLE! => connect ECONNREFUSED 10.0.0.9:22');
    expect(output).toContain('+to web2, managed by rackplay');
    expect(output).toContain('ok: [web1] => {');
    expect(output).toContain('PLAY RECAP');
    expect(output).not.toContain('hunter2');
    expect(output).not.toContain('\u001b[');
  });

  it('draws the live view on a terminal', async () => {
    // listr2 decides on process.stdout; the stream written to is a PassThrough posing as a terminal.
    process.stdout.isTTY = true;
    const bus = new EventBus();
    const { out, text } = capture(true);
    const renderer = attachRenderer(bus, 'tty', { verbose: false, diff: false, out, color: true });
    await playSlowly(bus);
    await renderer.done();
    const output = stripAnsi(text());
    expect(output).toContain('TASK [install packages]  ok=0 changed=1 failed=1');
    expect(output).toContain('PLAY RECAP');
    expect(output).not.toContain('hunter2');
  });

  it('shows the hosts still running while a task runs', async () => {
    process.stdout.isTTY = true;
    const bus = new EventBus();
    const { out, text } = capture(true);
    const renderer = attachRenderer(bus, 'tty', { verbose: false, diff: false, out, color: false });
    const hosts = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7'];
    bus.emit({ type: 'play_start', name: 'many', hosts });
    bus.emit({ type: 'task_start', task: TASKS.packages, hosts });
    bus.emit({ type: 'host_result', task: TASKS.packages, host: 'h1', status: 'ok', result: {}, durationMs: 1 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const host of hosts.slice(1)) bus.emit({ type: 'host_result', task: TASKS.packages, host, status: 'changed', result: {}, durationMs: 1 });
    bus.emit({ type: 'task_end', task: TASKS.packages, durationMs: 300 });
    bus.emit(SCRIPT.at(-1)!);
    await renderer.done();
    const output = stripAnsi(text());
    expect(output).toContain('ok=1 changed=0 failed=0  running (6): h2, h3, h4, h5, h6 +1 more');
    expect(output).toContain('TASK [install packages]  ok=1 changed=6 failed=0');
  });

  it('shows overlapping runs of one task (strategy free) one after another', async () => {
    const bus = new EventBus();
    const { out, text } = capture();
    const renderer = attachRenderer(bus, 'tty', { verbose: true, diff: false, out, color: false });
    const task = TASKS.motd;
    play(bus, [
      { type: 'play_start', name: 'free', hosts: ['a', 'b'] },
      { type: 'task_start', task, hosts: ['a'] },
      { type: 'task_start', task, hosts: ['b'] },
      { type: 'host_result', task, host: 'b', status: 'failed', result: { msg: 'b broke' }, durationMs: 1 },
      { type: 'task_end', task, durationMs: 1 },
      { type: 'host_result', task, host: 'a', status: 'ok', result: { msg: 'a fine' }, durationMs: 1 },
      { type: 'task_end', task, durationMs: 2 },
      SCRIPT.at(-1)!,
    ]);
    await renderer.done();
    const output = text();
    expect(output).toContain('TASK [write motd]  ok=1 changed=0 failed=0\nok: [a]\n  msg: a fine');
    expect(output).toContain('TASK [write motd]  ok=0 changed=0 failed=1 [FAILED: b]\nfailed: [b] => b broke');
  });

  it('finishes at the recap even if a task never ended', async () => {
    process.stdout.isTTY = true;
    const bus = new EventBus();
    const { out, text } = capture(true);
    const renderer = attachRenderer(bus, 'tty', { verbose: false, diff: false, out, color: false });
    bus.emit({ type: 'task_start', task: TASKS.hello, hosts: ['web1'] });
    bus.emit({ type: 'interrupted' });
    bus.emit(SCRIPT.at(-1)!);
    await renderer.done();
    expect(stripAnsi(text())).toContain('[ERROR]: User interrupted execution');
    expect(stripAnsi(text())).toContain('PLAY RECAP');
  });

  it('keeps no_log items hidden with -v', async () => {
    const bus = new EventBus();
    const { out, text } = capture();
    const renderer = attachRenderer(bus, 'tty', { verbose: true, diff: true, out, color: false });
    play(bus);
    await renderer.done();
    expect(text()).not.toContain('hunter2');
    expect(text()).toContain('changed: [web1] => (item=None)');
  });
});
