/**
 * npm run bench: rackplay and its peers (ansible-playbook, Ansible with Mitogen, pyinfra) on the same work,
 * in one run, each timed as a whole process from exec to exit. Absolute times drift on shared machines; the
 * ratios and the peak memory are the figures to report. A peer that is absent is reported as absent.
 * Traffic goes only to the loopback sshd that this script starts.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { packageRoot } from '../src/paths.js';
import { startSshLab } from '../test/lab/ssh-lab.js';
import type { SshLab } from '../test/lab/ssh-lab.js';
import { changedCount, rackplayRecap, timeProcess } from './measure.js';
import type { Measured } from './measure.js';
import { findPeers, pyinfraBin } from './peers.js';
import type { Peer } from './peers.js';
import { factsWorkload, localWorkload, pyinfraDeploy, pyinfraInventory, SITE_TEMPLATE, sshWorkload } from './workloads.js';

const runs = Number(process.env.BENCH_RUNS ?? 3);
const peerRuns = Math.max(1, Math.min(runs, Number(process.env.BENCH_PEER_RUNS ?? 2)));
const hostCounts = (process.env.BENCH_HOSTS ?? '10,100,1000').split(',').map(Number);
const peersUpTo = Number(process.env.BENCH_PEERS_MAX_HOSTS ?? 100);
const rackplayBin = join(packageRoot, 'bin', 'rackplay.js');
const peers = findPeers();

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

async function repeat(count: number, once: () => Promise<Measured>): Promise<Measured[]> {
  const results: Measured[] = [];
  for (let i = 0; i < count; i++) results.push(await once());
  return results;
}

interface Row {
  readonly tool: string;
  readonly runs: readonly Measured[];
}

/** One table: each tool's median, changed count, peak RSS (largest process / whole tree) and rackplay's ratio to it. */
function report(title: string, rows: readonly Row[], skipped: readonly string[]): void {
  console.log(`\n## ${title}`);
  const ours = median(rows.find((row) => row.tool === 'rackplay')!.runs.map((run) => run.wallMs));
  for (const row of rows) {
    const wall = median(row.runs.map((run) => run.wallMs));
    const kept = rows.find((entry) => entry.tool === KEPT);
    const keptWall = kept === undefined ? undefined : median(kept.runs.map((run) => run.wallMs));
    const ratio = row.tool.startsWith('rackplay') ? '' : `  rackplay ${(wall / ours).toFixed(1)}x faster${keptWall === undefined ? '' : `, kept ${(wall / keptWall).toFixed(1)}x`}`;
    const rss = `peak RSS ${mb(Math.max(...row.runs.map((run) => run.maxRssKb)))} (tree ${mb(Math.max(...row.runs.map((run) => run.treeRssKb)))})`;
    console.log(`${row.tool.padEnd(18)} median ${seconds(wall).padStart(8)} of ${row.runs.length}, changed=${changedCount(row.tool.startsWith('rackplay') ? 'rackplay' : row.tool, row.runs.at(-1)!) ?? 'n/a'}, ${rss}${ratio}`);
  }
  for (const line of skipped) console.log(line);
}

/** Runs every present peer (first once to converge, then measured) or says why it did not run. */
async function peerRows(present: (peer: Peer) => boolean, once: (peer: Peer) => Promise<Measured>, skipReason?: string): Promise<{ rows: Row[]; skipped: string[] }> {
  const rows: Row[] = [];
  const skipped: string[] = [];
  for (const peer of peers) {
    if (peer.absent !== undefined) skipped.push(`${peer.name.padEnd(18)} absent: ${peer.absent}`);
    else if (skipReason !== undefined) skipped.push(`${peer.name.padEnd(18)} not run: ${skipReason}`);
    else if (!present(peer)) skipped.push(`${peer.name.padEnd(18)} not run on this workload`);
    else {
      await once(peer);
      rows.push({ tool: peer.name, runs: await repeat(peerRuns, () => once(peer)) });
    }
  }
  return { rows, skipped };
}

const rackplay = (args: readonly string[], env: Record<string, string> = {}) => timeProcess(['node', rackplayBin, 'run', ...args, '--output', 'json'], env);

/** rackplay with rackplay_ssh_persist: the connections kept by the connection keeper between runs. */
const KEPT = 'rackplay, kept';

/** Runs with a private connection keeper (RACKPLAY_KEEPER_DIR), stopped by its PID afterwards. */
async function withKeeper<T>(work: (env: Record<string, string>) => Promise<T>, peak: (kb: number) => void): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'rackplay-bench-keeper-'));
  try {
    return await work({ RACKPLAY_SSH_PERSIST: '120', RACKPLAY_KEEPER_DIR: dir });
  } finally {
    const pidFile = join(dir, 'keeper.pid');
    if (existsSync(pidFile)) {
      const pid = Number(readFileSync(pidFile, 'utf8'));
      const status = existsSync(`/proc/${pid}/status`) ? readFileSync(`/proc/${pid}/status`, 'utf8') : '';
      peak(Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0));
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
      for (let i = 0; i < 50 && existsSync(pidFile); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

async function localBench(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'rackplay-bench-local-'));
  try {
    const work = localWorkload(join(root, 'rp'));
    const ansibleWork = localWorkload(join(root, 'an'));
    writeFileSync(join(root, 'rackplay.yml'), work.rackplay);
    writeFileSync(join(root, 'ansible.yml'), ansibleWork.ansible);
    await rackplay([join(root, 'rackplay.yml')]);
    const ours = await repeat(runs, () => rackplay([join(root, 'rackplay.yml')]));
    const { rows, skipped } = await peerRows((peer) => peer.name !== 'pyinfra', (peer) => timeProcess(['ansible-playbook', join(root, 'ansible.yml')], peer.env));
    report(`local no-change: ${work.tasksPerHost} tasks on localhost`, [{ tool: 'rackplay', runs: ours }, ...rows], skipped);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function writeSshWork(root: string, lab: SshLab, hosts: number): void {
  const work = sshWorkload();
  writeFileSync(join(root, 'hosts.yml'), lab.inventoryFor(hosts));
  writeFileSync(join(root, 'inventory.py'), pyinfraInventory(hosts, lab));
  writeFileSync(join(root, 'rackplay.yml'), work.rackplay);
  writeFileSync(join(root, 'ansible.yml'), work.ansible);
  writeFileSync(join(root, 'deploy.py'), pyinfraDeploy());
  writeFileSync(join(root, 'site.conf.hbs'), SITE_TEMPLATE);
  writeFileSync(join(root, 'site.conf.j2'), SITE_TEMPLATE);
}

function peerOnce(peer: Peer, root: string, targetRoot: string): Promise<Measured> {
  if (peer.name === 'pyinfra') {
    // pyinfra reads templates relative to its working folder; --parallel 10 as forks 10 for the others.
    return timeProcess([pyinfraBin(), 'inventory.py', 'deploy.py', '-y', '--parallel', '10', '--data', `bench_root=${targetRoot}/py`], peer.env, root);
  }
  const side = peer.name === 'ansible-playbook' ? 'an' : 'mi';
  return timeProcess(['ansible-playbook', join(root, 'ansible.yml'), '-i', join(root, 'hosts.yml'), '-e', `bench_root=${targetRoot}/${side}`, '-f', '10'], peer.env);
}

async function sshBench(hosts: number): Promise<void> {
  const lab = await startSshLab({ extraConfig: ['MaxStartups 1000:30:1000', 'MaxSessions 100'] });
  const root = mkdtempSync(join(tmpdir(), 'rackplay-bench-ssh-'));
  const targetRoot = `/tmp/rackplay-bench-target-${lab.port}`;
  try {
    writeSshWork(root, lab, hosts);
    const rpArgs = [join(root, 'rackplay.yml'), '-i', join(root, 'hosts.yml'), '-e', `bench_root=${targetRoot}/rp`, '-f', '10'];
    const first = await rackplay(rpArgs);
    const ours = await repeat(runs, () => rackplay(rpArgs));
    let keeperRssKb = 0;
    const kept = await withKeeper(
      (env) => rackplay(rpArgs, env).then(() => repeat(runs, () => rackplay(rpArgs, env))),
      (peakKb) => (keeperRssKb = peakKb),
    );
    const skip = hosts > peersUpTo ? `more than ${peersUpTo} hosts (BENCH_PEERS_MAX_HOSTS to raise)` : undefined;
    const { rows, skipped } = await peerRows(() => true, (peer) => peerOnce(peer, root, targetRoot), skip);
    report(`ssh no-change: ${sshWorkload().tasksPerHost} tasks × ${hosts} hosts (loopback sshd, user ${lab.user}, forks 10)`, [{ tool: 'rackplay', runs: ours }, { tool: KEPT, runs: kept }, ...rows], skipped);
    console.log(`rackplay, kept: the connection keeper process (not in the row above) peaked at ${mb(keeperRssKb)} RSS`);
    const { commandMs } = rackplayRecap(ours.at(-1)!.stdout);
    console.log(`rackplay first run (from empty) ${seconds(first.wallMs)}, changed=${changedCount('rackplay', first)}; time inside host commands ${seconds(commandMs)} (all hosts summed); ${(Math.max(...ours.map((run) => run.maxRssKb)) / 1024 / hosts).toFixed(2)} MB per host`);
  } finally {
    spawnSync('rm', ['-rf', '--', targetRoot]);
    await lab.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

/** What gathering facts adds to a run on N hosts: the same one-task play with gather_facts on minus off. */
async function factsBench(hosts: number): Promise<void> {
  const lab = await startSshLab({ extraConfig: ['MaxStartups 200:30:600'] });
  const root = mkdtempSync(join(tmpdir(), 'rackplay-bench-facts-'));
  try {
    writeFileSync(join(root, 'hosts.yml'), lab.inventoryFor(hosts));
    for (const gather of [false, true]) writeFileSync(join(root, `facts-${gather}.yml`), factsWorkload(gather).rackplay);
    const args = (gather: boolean) => [join(root, `facts-${gather}.yml`), '-i', join(root, 'hosts.yml'), '-f', '10'];
    await rackplay(args(true));
    const rpOff = median((await repeat(runs, () => rackplay(args(false)))).map((run) => run.wallMs));
    const on = await repeat(runs, () => rackplay(args(true)));
    const rpOn = median(on.map((run) => run.wallMs));
    const rpGather = median(on.map((run) => rackplayRecap(run.stdout).gatherMs));
    console.log(`\n## fact gathering on ${hosts} hosts (loopback sshd, one trivial task, gather_facts on vs off)`);
    console.log(`rackplay:          ${seconds(rpOn)} vs ${seconds(rpOff)}; the Gathering Facts step takes ${seconds(rpGather)} (one sh command per host)`);
    const ansible = peers.find((peer) => peer.name === 'ansible-playbook')!;
    if (ansible.absent !== undefined) return void console.log(`ansible-playbook:  absent: ${ansible.absent}`);
    const once = (gather: boolean) => timeProcess(['ansible-playbook', ...args(gather)], ansible.env);
    const anOff = median((await repeat(peerRuns, () => once(false))).map((run) => run.wallMs));
    const anOn = median((await repeat(peerRuns, () => once(true))).map((run) => run.wallMs));
    console.log(`ansible-playbook:  ${seconds(anOn)} vs ${seconds(anOff)}: setup adds ${seconds(anOn - anOff)} (default gather_subset)`);
    console.log(`ratio:             gathering costs ${((anOn - anOff) / Math.max(1, rpGather)).toFixed(0)}x less in rackplay (Ansible's on−off difference / rackplay's step)`);
  } finally {
    await lab.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

console.log(`# rackplay benchmark: whole processes, ${runs} runs each (BENCH_RUNS), peers ${peerRuns} (BENCH_PEER_RUNS), hosts ${hostCounts.join(', ')} (BENCH_HOSTS)`);
for (const peer of peers) console.log(`peer ${peer.name}: ${peer.absent === undefined ? peer.version : `absent: ${peer.absent}`}`);
if (process.env.BENCH_ONLY !== 'ssh') await localBench();
for (const hosts of hostCounts) await sshBench(hosts);
if (process.env.BENCH_ONLY !== 'ssh') await factsBench(Number(process.env.BENCH_FACTS_HOSTS ?? 10));
