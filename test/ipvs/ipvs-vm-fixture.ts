import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { stringify } from 'yaml';
import { rackplay, tempDir, type CliRun } from '../helpers/cli.js';
import { writeFiles } from '../helpers/playbook.js';
import { descendantPids } from '../lab/processes.js';
import { ipvsVmUnsupportedReason } from '../lab/ipvs-vm/support.js';
import { startIpvsVm, type IpvsVm } from '../lab/ipvs-vm/vm.js';

const unsupported = ipvsVmUnsupportedReason();
if (unsupported !== undefined) console.warn(`SKIPPED ipvs tests against a real kernel: ${unsupported}`);

/** `describe`, or a loudly named `describe.skip` when the QEMU lab cannot run on this machine. */
export function describeIpvs(name: string, body: () => void): void {
  if (unsupported === undefined) describe(name, body);
  else describe.skip(`${name} (SKIPPED: ${unsupported})`, body);
}

/**
 * Boots the VM once for the test file (beforeAll) and stops it by PID in afterAll, failed tests included.
 * `setup` runs in the guest right after boot. Returns a getter: the VM exists only once beforeAll ran.
 */
export function useIpvsVm(setup?: (vm: IpvsVm) => Promise<void>): () => IpvsVm {
  let vm: IpvsVm | undefined;
  beforeAll(async () => {
    vm = await startIpvsVm();
    console.info(`ipvs VM: build ${vm.timings.buildMs} ms, boot to SSH ${vm.timings.bootMs} ms (qemu pid ${vm.pid})`);
    await setup?.(vm);
  }, 240_000);
  afterAll(async () => {
    if (vm === undefined) return;
    await vm.stop();
    const left = qemuDescendants();
    if (left.length > 0) throw new Error(`qemu still running after stop(): pids ${left.join(', ')}`);
    if (existsSync(dirname(vm.privateKeyPath))) throw new Error(`stop() left the VM's temp dir ${dirname(vm.privateKeyPath)}`);
  });
  return () => {
    if (vm === undefined) throw new Error('the ipvs VM did not start (see the beforeAll error)');
    return vm;
  };
}

/** qemu processes started (directly or not) by this test process. */
export function qemuDescendants(): number[] {
  return descendantPids(process.pid).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('qemu');
    } catch {
      return false; // exited meanwhile
    }
  });
}

export interface PlaybookRun extends CliRun {
  /** The playbook's path, as positions in messages name it. */
  readonly playbookPath: string;
}

/** Writes `playbook` and the VM's inventory (host `director` in group `directors`) and runs rackplay on them. */
export async function runPlaybook(vm: IpvsVm, playbook: string, ...args: string[]): Promise<PlaybookRun> {
  const dir = await tempDir('rackplay-ipvs-');
  try {
    const files = await writeFiles(dir.path, { 'playbook.yml': playbook, 'hosts.yml': vm.inventoryFor('director', 'directors') });
    const run = await rackplay('run', files['playbook.yml']!, '-i', files['hosts.yml']!, ...args);
    return { ...run, playbookPath: files['playbook.yml']! };
  } finally {
    await dir.cleanup();
  }
}

/** A playbook for the `directors` group with one ipvs_service task per `params`, written as block YAML. */
export function ipvsPlaybook(...params: readonly Record<string, unknown>[]): string {
  const tasks = params.map((task, index) => {
    const body = stringify(task).trimEnd().split('\n').map((line) => `        ${line}`);
    return [`    - name: virtual service ${index + 1}`, '      ipvs_service:', ...body].join('\n');
  });
  // No facts: these playbooks exercise the module, and each fact-gathering pass costs SSH round trips to a TCG guest.
  return ['- hosts: directors', '  gather_facts: false', '  tasks:', ...tasks, ''].join('\n');
}

/** The kernel's IPVS table as `ipvsadm -S -n` lines, sorted (the kernel's own order is its hash order). */
export async function savedTable(vm: IpvsVm): Promise<string[]> {
  return (await vm.shell.check('ipvsadm -S -n')).split('\n').filter(Boolean).sort();
}

/** Loads `lines` (ipvsadm -R format) into an emptied table. */
export async function loadTable(vm: IpvsVm, lines: readonly string[]): Promise<void> {
  await vm.shell.check('ipvsadm -C');
  if (lines.length === 0) return;
  const restore = await vm.shell.run('ipvsadm -R', `${lines.join('\n')}\n`);
  // -R goes on after a failing line and still exits 0: its stderr is the only sign.
  if (restore.code !== 0 || restore.stderr !== '') throw new Error(`ipvsadm -R in the VM failed (exit ${restore.code}): ${restore.stderr}`);
}

interface HostResultEvent {
  readonly type: 'host_result';
  readonly task: { readonly module: string };
  readonly result: { readonly changed?: boolean; readonly commands?: readonly (readonly string[] | string)[]; readonly [key: string]: unknown };
}

/** The (first) ipvs_service task's result, from `--output json`. */
export function taskResult(run: CliRun): HostResultEvent['result'] {
  const events = run.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { type: string; task?: { module?: string } });
  const result = events.find((event): event is HostResultEvent => event.type === 'host_result' && event.task?.module === 'ipvs_service');
  if (result === undefined) throw new Error(`no ipvs_service host_result event in:\n${run.stdout}\n${run.stderr}`);
  return result.result;
}
