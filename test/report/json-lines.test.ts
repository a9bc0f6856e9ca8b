import { describe, expect, it } from 'vitest';
import { attachRenderer, formatRecap } from '../../src/report/index.js';
import { capture, EventBus, play, RECAP_STATS, SCRIPT } from './script.js';

async function render(): Promise<Record<string, unknown>[]> {
  const bus = new EventBus();
  const { out, text } = capture();
  const renderer = attachRenderer(bus, 'json', { verbose: false, diff: true, out });
  play(bus);
  await renderer.done();
  const lines = text().split('\n');
  expect(lines.pop()).toBe('');
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('json renderer', () => {
  it('writes one parseable object per event, each with an ISO time', async () => {
    const events = await render();
    expect(events.map((event) => event.type)).toEqual(SCRIPT.map((event) => event.type));
    for (const event of events) expect(new Date(event.time as string).toISOString()).toBe(event.time);
  });

  it('ends with the recap, with the numbers formatRecap prints', async () => {
    const recap = (await render()).at(-1)!;
    expect(recap.type).toBe('recap');
    expect(recap.exitCode).toBe(2);
    const stats = recap.stats as typeof RECAP_STATS;
    expect(stats).toEqual(RECAP_STATS);
    expect(formatRecap(stats, false)).toBe(formatRecap(RECAP_STATS, false));
    // And the printed numbers are the JSON numbers, host by host.
    for (const line of formatRecap(stats, false).trimEnd().split('\n')) {
      const [host, fields] = line.split(' : ') as [string, string];
      const printed = Object.fromEntries(fields.trim().split(/\s+/).map((field) => field.split('=') as [string, string]).map(([key, value]) => [key, Number(value)]));
      expect(printed).toEqual(stats[host.trim()]);
    }
  });

  it('keeps events as emitted, with Buffers as text', async () => {
    const changed = (await render()).find((event) => event.type === 'host_result' && event.host === 'web2' && event.status === 'changed')!;
    expect(changed.result).toEqual({ changed: true, stdout: 'written' });
    expect(changed.diff).toEqual([{ path: '/etc/motd', before: 'Welcome\nto web2\n', after: 'Welcome\nto web2, managed by rackplay\n' }]);
    expect((changed.task as { source: string }).source).toBe('site.yml:3:5');
  });

  it('hides no_log item labels', async () => {
    const events = await render();
    expect(JSON.stringify(events)).not.toContain('hunter2');
    expect(events.find((event) => (event.task as { noLog?: boolean } | undefined)?.noLog === true && event.type === 'host_result')!.item).toBe('None');
  });
});
