/**
 * npm run bench: rackplay and ansible-playbook on the same work, in one run, with the ratio.
 * Absolute times drift on shared machines; the ratio and the peak memory are the figures to report.
 * Traffic goes only to the loopback sshd that this script starts.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startSshLab } from '../test/lab/ssh-lab.js';
import { factsWorkload, localWorkload, SITE_TEMPLATE, sshWorkload } from './workloads.js';

const execFileAsync = promisify(execFile);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const measureScript = new URL('./measure-run.js', import.meta.url).pathname;
const hasAnsible = spawnSync('ansible-playbook', ['--version']).status === 0;

interface Measured {
  readonly wallMs: number;
  readonly commandMs: number;
  /** Wall time of the Gathering Facts steps. */
  readonly gatherMs: number;
  readonly maxRssKb: number;
  readonly changed: number;
  readonly code: number;
}

async function rackplayOnce(args: readonly string[]): Promise<Measured> {
  const child = await execFileAsync(process.execPath, [measureScript, 'run', ...args], { maxBuffer: 64 * 1024 * 1024 }).catch((error: { stderr?: string }) => error);
  const line = String(child.stderr ?? '').trim().split('\n').at(-1) ?? '{}';
  const report = JSON.parse(line) as { code: number; wallMs: number; commandMs: number; gatherMs: number; maxRssKb: number; stats?: Record<string, { changed: number }> };
  const changed = Object.values(report.stats ?? {}).reduce((sum, stats) => sum + stats.changed, 0);
  return { wallMs: report.wallMs, commandMs: report.commandMs, gatherMs: report.gatherMs, maxRssKb: report.maxRssKb, changed, code: report.code };
}

async function ansibleOnce(args: readonly string[], env: Record<string, string>): Promise<{ wallMs: number; code: number }> {
  const started = performance.now();
  const result = spawnSync('ansible-playbook', args, { env: { ...process.env, ANSIBLE_HOST_KEY_CHECKING: 'False', ANSIBLE_PIPELINING: 'True', ANSIBLE_FORKS: '10', ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: 'False', ANSIBLE_LOCALHOST_WARNING: 'False', ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3', ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) process.stderr.write(`ansible-playbook exited ${result.status}:\n${result.stdout.slice(-2000)}\n`);
  return { wallMs: performance.now() - started, code: result.status ?? -1 };
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function repeat<T>(count: number, once: () => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < count; i++) results.push(await once());
  return results;
}

function compare(title: string, rackplay: readonly Measured[], ansible: readonly { wallMs: number }[] | 'not-run' | undefined, tasks: number, hosts: number): void {
  const rpMedian = median(rackplay.map((run) => run.wallMs));
  const rss = Math.max(...rackplay.map((run) => run.maxRssKb));
  const overheadPerTask = median(rackplay.map((run) => (run.wallMs - run.commandMs / Math.min(hosts, 10)) / (tasks * hosts)));
  console.log(`\n## ${title}`);
  console.log(`rackplay:         median ${seconds(rpMedian)} over ${rackplay.length} runs, changed=${rackplay.at(-1)?.changed}, peak RSS ${(rss / 1024).toFixed(1)} MB`);
  console.log(`                  engine overhead ≈ ${overheadPerTask.toFixed(2)} ms per task·host beyond the commands it runs`);
  if (ansible === 'not-run') return;
  if (ansible === undefined) return void console.log('ansible-playbook: not installed (apt-get install ansible-core) — no ratio');
  const anMedian = median(ansible.map((run) => run.wallMs));
  console.log(`ansible-playbook: median ${seconds(anMedian)} over ${ansible.length} runs`);
  console.log(`ratio:            rackplay is ${(anMedian / rpMedian).toFixed(1)}x faster`);
}

async function localBench(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'rackplay-bench-local-'));
  try {
    const work = localWorkload(join(root, 'rp'));
    const ansibleWork = localWorkload(join(root, 'an'));
    writeFileSync(join(root, 'rackplay.yml'), work.rackplay);
    writeFileSync(join(root, 'ansible.yml'), ansibleWork.ansible);
    await rackplayOnce([join(root, 'rackplay.yml')]);
    const rackplay = await repeat(runs, () => rackplayOnce([join(root, 'rackplay.yml')]));
    let ansible;
    if (hasAnsible) {
      await ansibleOnce([join(root, 'ansible.yml')], {});
      ansible = await repeat(Math.max(1, Math.min(runs, 2)), () => ansibleOnce([join(root, 'ansible.yml')], {}));
    }
    compare(`local no-change: ${work.tasksPerHost} tasks on localhost`, rackplay, ansible, work.tasksPerHost, 1);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function sshBench(hosts: number, withAnsible: boolean): Promise<void> {
  const lab = await startSshLab({ extraConfig: ['MaxStartups 200:30:600'] });
  const root = mkdtempSync(join(tmpdir(), 'rackplay-bench-ssh-'));
  try {
    const targetRoot = `/tmp/rackplay-bench-target-${lab.port}`;
    const work = sshWorkload();
    const inventory = join(root, 'hosts.yml');
    writeFileSync(inventory, lab.inventoryFor(hosts));
    writeFileSync(join(root, 'rackplay.yml'), work.rackplay);
    writeFileSync(join(root, 'ansible.yml'), work.ansible);
    writeFileSync(join(root, 'site.conf.hbs'), SITE_TEMPLATE);
    writeFileSync(join(root, 'site.conf.j2'), SITE_TEMPLATE);
    const rpArgs = (side: string) => [join(root, 'rackplay.yml'), '-i', inventory, '-e', `bench_root=${targetRoot}/${side}`, '-f', '10'];
    const anArgs = (side: string) => [join(root, 'ansible.yml'), '-i', inventory, '-e', `bench_root=${targetRoot}/${side}`, '-f', '10'];
    const first = await rackplayOnce(rpArgs('rp-first'));
    const rackplay = await repeat(runs, () => rackplayOnce(rpArgs('rp-first')));
    let ansible;
    let ansibleFirst;
    if (withAnsible && hasAnsible) {
      ansibleFirst = await ansibleOnce(anArgs('an-first'), {});
      ansible = await repeat(Math.max(1, Math.min(runs, 2)), () => ansibleOnce(anArgs('an-first'), {}));
    }
    compare(`ssh no-change: ${work.tasksPerHost} tasks × ${hosts} hosts (loopback sshd, user ${lab.user})`, rackplay, withAnsible ? ansible : 'not-run', work.tasksPerHost, hosts);
    console.log(`first run (from empty): rackplay ${seconds(first.wallMs)} changed=${first.changed}` + (ansibleFirst ? `, ansible-playbook ${seconds(ansibleFirst.wallMs)}, ratio ${(ansibleFirst.wallMs / first.wallMs).toFixed(1)}x` : ''));
    const rss = Math.max(...rackplay.map((run) => run.maxRssKb));
    console.log(`memory per host: ${(rss / 1024 / hosts).toFixed(2)} MB (peak RSS / hosts)`);
    spawnSync('rm', ['-rf', '--', targetRoot]);
  } finally {
    await lab.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

/** What gathering facts adds to a run on N hosts: the same one-task play with gather_facts on minus off. */
async function factsBench(hosts: number): Promise<void> {
  const lab = await startSshLab({ extraConfig: ['MaxStartups 200:30:600'] });
  const root = mkdtempSync(join(tmpdir(), 'rackplay-bench-facts-'));
  try {
    const inventory = join(root, 'hosts.yml');
    writeFileSync(inventory, lab.inventoryFor(hosts));
    for (const gather of [false, true]) writeFileSync(join(root, `facts-${gather}.yml`), factsWorkload(gather).rackplay);
    const args = (gather: boolean) => [join(root, `facts-${gather}.yml`), '-i', inventory, '-f', '10'];
    await rackplayOnce(args(true));
    const rpOff = median((await repeat(runs, () => rackplayOnce(args(false)))).map((run) => run.wallMs));
    const on = await repeat(runs, () => rackplayOnce(args(true)));
    const rpOn = median(on.map((run) => run.wallMs));
    const rpGather = median(on.map((run) => run.gatherMs));
    console.log(`\n## fact gathering on ${hosts} hosts (loopback sshd, one trivial task, gather_facts on vs off)`);
    console.log(`rackplay:         ${seconds(rpOn)} vs ${seconds(rpOff)}; the Gathering Facts step takes ${seconds(rpGather)} (one sh command per host)`);
    if (!hasAnsible) return void console.log('ansible-playbook: not installed (apt-get install ansible-core) — no ratio');
    const ansibleRuns = Math.max(1, Math.min(runs, 2));
    const anOff = median((await repeat(ansibleRuns, () => ansibleOnce(args(false), {}))).map((run) => run.wallMs));
    const anOn = median((await repeat(ansibleRuns, () => ansibleOnce(args(true), {}))).map((run) => run.wallMs));
    console.log(`ansible-playbook: ${seconds(anOn)} vs ${seconds(anOff)}: setup adds ${seconds(anOn - anOff)} (default gather_subset)`);
    console.log(`ratio:            gathering costs ${((anOn - anOff) / Math.max(1, rpGather)).toFixed(0)}x less in rackplay (Ansible's on−off difference / rackplay's step)`);
  } finally {
    await lab.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

console.log(`# rackplay benchmark (${runs} runs each; BENCH_RUNS to change)`);
await localBench();
await sshBench(10, true);
await factsBench(Number(process.env.BENCH_FACTS_HOSTS ?? 10));
await sshBench(Number(process.env.BENCH_SCALE_HOSTS ?? 500), false);
