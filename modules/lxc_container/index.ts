import { applyChange } from '../../src/module/apply.js';
import { defineModule } from '../../src/module/contract.js';
import type { ModuleContext, ModuleResult, Plan } from '../../src/module/contract.js';
import { existsInsideArgv, isConfigWrite, isContainerCommand, isCreation, isStart, startChange, target, waitChange, writeConfigChange } from './commands.js';
import type { LxcContainerParams } from './commands.js';
import { namedValues } from './config.js';
import type { ConfigValue } from './config.js';
import { parseLxcInfo, parseLxcLs, parseNetDev } from './parse.js';
import type { LxcInfo } from './parse.js';
import { planLxcContainer } from './plan.js';
import type { LxcContainerState } from './plan.js';
import { convergingMeta } from '../../src/module/meta.js';

async function output(ctx: ModuleContext, argv: readonly string[]): Promise<string> {
  const result = await ctx.run(argv);
  if (result.exitCode === 127) throw new Error(`${argv[0]} is not installed on the host (Debian: apt-get install lxc)`);
  if (result.exitCode !== 0) throw new Error(`${argv.join(' ')} failed (exit ${result.exitCode}): ${result.stderr.trim()}`);
  return result.stdout;
}

/** Exit 0 true, 1 false; anything else (the tool could not ask) undefined. */
async function answers(ctx: ModuleContext, argv: readonly string[]): Promise<boolean | undefined> {
  const { exitCode } = await ctx.run(argv);
  return exitCode === 0 ? true : exitCode === 1 ? false : undefined;
}

async function info(ctx: ModuleContext, lxcPath: string, name: string): Promise<LxcInfo> {
  return parseLxcInfo(await output(ctx, ['lxc-info', ...target(lxcPath, name)]));
}

/** Whether `creates` exists inside the container: asked with lxc-attach when it runs, through /proc/PID/root when frozen (attach would hang). */
async function createsExists(ctx: ModuleContext, params: LxcContainerParams, lxcPath: string, current: LxcInfo): Promise<boolean | undefined> {
  if (params.container_command === undefined || params.creates === undefined || current.pid === undefined) return undefined;
  if (current.state === 'RUNNING') return answers(ctx, existsInsideArgv(lxcPath, params.name, params.creates));
  if (current.state === 'FROZEN') return answers(ctx, ['test', '-e', `/proc/${current.pid}/root${params.creates}`]);
  return undefined;
}

/** lxc-ls for existence, lxc-info for state, PID and IPs, the config file, and /proc/PID/net/dev for the interfaces. */
async function gather(ctx: ModuleContext, params: LxcContainerParams): Promise<LxcContainerState> {
  const lxcPath = params.lxc_path ?? (await output(ctx, ['lxc-config', 'lxc.lxcpath'])).trim();
  const names = parseLxcLs(await output(ctx, ['lxc-ls', '-P', lxcPath, '-1']));
  const archiveExists = params.archive === undefined ? undefined : await answers(ctx, ['test', '-e', params.archive.path]);
  if (!names.includes(params.name)) {
    const source = params.clone_from !== undefined && names.includes(params.clone_from) ? await info(ctx, lxcPath, params.clone_from) : undefined;
    return { lxcPath, exists: false, archiveExists, cloneSource: source };
  }
  const current = await info(ctx, lxcPath, params.name);
  const configText = await output(ctx, ['cat', '--', `${lxcPath}/${params.name}/config`]);
  const netDev = current.pid === undefined ? undefined : await ctx.run(['cat', `/proc/${current.pid}/net/dev`]);
  const interfaces = netDev?.exitCode === 0 ? parseNetDev(netDev.stdout) : [];
  return { lxcPath, exists: true, info: current, configText, interfaces, createsExists: await createsExists(ctx, params, lxcPath, current), archiveExists };
}

function configPathOf(params: LxcContainerParams, plan: Plan): string {
  return `${String(plan.result?.lxc_path)}/${params.name}/config`;
}

/**
 * LXC accepted the new config (lxc-info loaded it) but cannot start with it, e.g. a bridge that does not exist:
 * the previous config file is put back and, when this task stopped the container, it is started again with it.
 * The task fails with LXC's message either way.
 */
async function restoreAfterFailedStart(ctx: ModuleContext, params: LxcContainerParams, plan: Plan, previous: string, stopped: boolean, error: unknown): Promise<Error> {
  const lxcPath = String(plan.result?.lxc_path);
  const reason = error instanceof Error ? error.message : String(error);
  try {
    await applyChange(ctx, writeConfigChange(configPathOf(params, plan), lxcPath, params.name, previous, []));
    if (stopped) {
      await applyChange(ctx, startChange(lxcPath, params.name, `start ${params.name} again with the previous config`));
      await applyChange(ctx, waitChange(lxcPath, params.name, 'RUNNING', params.wait_timeout ?? 60));
    }
  } catch (restoreError) {
    return new Error(`${reason}\nrestoring the previous config failed too: ${(restoreError as Error).message}`, { cause: error });
  }
  return new Error(`${reason}\nthe previous config file was restored${stopped ? ` and ${params.name} started again with it` : ''}`, { cause: error });
}

/** What the container is after apply, read again: state, PID, IPs and interfaces as LXC now reports them. */
function observed(params: LxcContainerParams, state: LxcContainerState): Record<string, unknown> {
  return {
    name: params.name,
    lxc_path: state.lxcPath,
    state: state.exists ? (state.info?.state.toLowerCase() ?? 'stopped') : 'absent',
    pid: state.info?.pid ?? null,
    ips: state.info?.ips ?? [],
    interfaces: state.interfaces ?? [],
    config: state.exists ? namedValues(state.configText ?? '', params.config as Readonly<Record<string, ConfigValue>> | undefined) : {},
  };
}

/**
 * Runs the plan's changes in order. A creation comes first; the new container is then read and planned again,
 * so its config edit starts from the file lxc-create (or lxc-copy) wrote, through the same pure plan.
 */
async function apply(ctx: ModuleContext, plan: Plan, params: LxcContainerParams): Promise<ModuleResult> {
  if (plan.changes.length === 0) return { ...plan.result, changed: false };
  let current = plan;
  if (isCreation(plan.changes[0]!)) {
    await applyChange(ctx, plan.changes[0]!);
    current = planLxcContainer(params, await gather(ctx, params));
    if (current.failed !== undefined) throw new Error(current.failed);
  }
  let command: { stdout: string; stderr: string } | undefined;
  let previousConfig: string | undefined;
  let stopped = false;
  for (const change of current.changes) {
    if (isConfigWrite(change)) previousConfig = await output(ctx, ['cat', '--', configPathOf(params, current)]);
    try {
      const ran = await applyChange(ctx, change);
      if (isContainerCommand(change)) command = { stdout: ran.stdout, stderr: ran.stderr };
      if (change.kind === 'command' && change.argv[0] === 'lxc-stop') stopped = true;
    } catch (error) {
      if (previousConfig === undefined || !isStart(change)) throw error;
      throw await restoreAfterFailedStart(ctx, params, current, previousConfig, stopped, error);
    }
  }
  return {
    ...current.result,
    ...observed(params, await gather(ctx, params)),
    ...(command === undefined ? {} : { command_stdout: command.stdout, command_stderr: command.stderr }),
    changed: true,
  };
}

export default defineModule<LxcContainerParams, LxcContainerState>({
  name: 'lxc_container',
  meta: convergingMeta({
    name: 'the container name',
    lxc_path: 'the folder holding the container',
    state: "the state it is in: running, stopped, frozen or absent (predicted under --check)",
    pid: 'the PID of its init on the host, null when it does not run',
    ips: 'its IP addresses (lxc-info -i)',
    interfaces: 'the interfaces in its network namespace (/proc/PID/net/dev), e.g. [lo, eth0]',
    config: 'the values the keys named in config hold in its config file: a string (null when unset), or a list for a list',
    restart_required: 'true when the config changed while it ran and restart_on_config_change was not set',
    archive: 'with archive, when the tarball was written: its path',
    command_stdout: 'when container_command ran: its stdout',
    command_stderr: 'when container_command ran: its stderr',
  }),
  gather,
  plan: planLxcContainer,
  apply,
});
