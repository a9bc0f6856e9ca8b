import { isAbsolute, resolve } from 'node:path';
import { applyChange } from '../../src/module/apply.js';
import { defineModule } from '../../src/module/contract.js';
import type { ModuleContext, ModuleResult, Plan } from '../../src/module/contract.js';
import { isStart, PROBE_SCRIPT, serfCall, serfSubcommand } from './commands.js';
import type { RpcTarget } from './commands.js';
import { addressesToJoin, aliveWithTags } from './config.js';
import type { SerfConfig } from './config.js';
import { generatedKey, readKey } from './key-file.js';
import { parseInfo, parseMembers, parseProbe } from './parse.js';
import type { SerfMember } from './parse.js';
import { effectiveConfig, planSerfAgent, rpcTarget } from './plan.js';
import type { SerfAgentParams, SerfAgentState } from './plan.js';
import { convergingMeta } from '../../src/module/meta.js';

type AgentView = NonNullable<SerfAgentState['agent']>;

/** The running agent's name, tags and members over RPC; undefined when it does not answer. */
async function askAgent(ctx: ModuleContext, target: RpcTarget): Promise<AgentView | undefined> {
  const info = serfCall(target, 'info', ['-format=json']);
  const infoResult = await ctx.run(info.argv, { stdin: info.stdin });
  if (infoResult.exitCode !== 0) return undefined;
  const members = await readMembers(ctx, target);
  return { ...parseInfo(infoResult.stdout), members };
}

async function readMembers(ctx: ModuleContext, target: RpcTarget): Promise<SerfMember[]> {
  const call = serfCall(target, 'members', ['-format=json']);
  const result = await ctx.run(call.argv, { stdin: call.stdin });
  if (result.exitCode !== 0) throw new Error(`serf members -rpc-addr=${target.rpcAddr} failed (exit ${result.exitCode}): ${result.stderr.trim()}`);
  return parseMembers(result.stdout);
}

/** params.config with `encrypt_key: generate` replaced by the controller's key (a placeholder under --check, before it exists). */
async function desiredConfig(ctx: ModuleContext, params: SerfAgentParams): Promise<SerfConfig | undefined> {
  const config = params.config as SerfConfig | undefined;
  if (config?.encrypt_key !== 'generate') return config;
  const file = isAbsolute(params.encrypt_key_file!) ? params.encrypt_key_file! : resolve(ctx.baseDir, params.encrypt_key_file!);
  const key = ctx.check ? ((await readKey(file)) ?? `(a key generated into ${file})`) : await generatedKey(file);
  return { ...config, encrypt_key: key };
}

async function gather(ctx: ModuleContext, params: SerfAgentParams): Promise<SerfAgentState> {
  const configFile = params.config_file ?? '/etc/serf/serf.json';
  const serviceName = params.service_name ?? 'serf';
  const probeRun = await ctx.run(['sh', '-c', PROBE_SCRIPT, 'sh', params.executable ?? 'serf', configFile, params.pid_file ?? '/run/serf.pid', serviceName, params.service_manager ?? 'auto']);
  if (probeRun.exitCode !== 0) throw new Error(`reading the serf agent's state failed (exit ${probeRun.exitCode}): ${probeRun.stderr.trim()}`);
  const probe = parseProbe(probeRun.stdout);
  const supervision = {
    systemd: probe.systemd,
    serf: probe.serf,
    startStopDaemon: probe.startStopDaemon,
    configFile,
    pidFile: params.pid_file ?? '/run/serf.pid',
    logFile: params.log_file ?? '/var/log/serf.log',
    serviceName,
  };
  const base: SerfAgentState = { supervision, pid: probe.pid, configText: probe.configText, desiredConfig: await desiredConfig(ctx, params) };
  if (probe.pid === undefined || probe.serf === '') return base;
  // The running agent listens where its current file says, which may differ from the desired config.
  const running = { ...base, desiredConfig: undefined };
  return { ...base, agent: await askAgent(ctx, rpcTarget(params, effectiveConfig(running))) };
}

const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

/** After a start: polls `serf info` until the agent answers; an agent that exits (or never answers) fails with its log's tail. */
async function waitUntilAnswering(ctx: ModuleContext, params: SerfAgentParams, plan: Plan, target: RpcTarget): Promise<AgentView> {
  const seconds = params.start_timeout ?? 15;
  const started = Date.now();
  for (;;) {
    const agent = await askAgent(ctx, target);
    if (agent !== undefined) return agent;
    const elapsed = Date.now() - started;
    // start-stop-daemon writes the pidfile before exec: a PID gone after a moment is an agent that refused to start.
    if (elapsed > 1000 && (await gather(ctx, params)).pid === undefined) throw new Error(`the serf agent exited right after its start${await logTail(ctx, params, plan)}`);
    if (elapsed > seconds * 1000) throw new Error(`the serf agent did not answer on ${target.rpcAddr} within ${seconds} s${await logTail(ctx, params, plan)}`);
    await sleep(200);
  }
}

async function logTail(ctx: ModuleContext, params: SerfAgentParams, plan: Plan): Promise<string> {
  if (plan.result?.service_manager === 'systemd') return ` (see journalctl -u ${params.service_name ?? 'serf'})`;
  const file = params.log_file ?? '/var/log/serf.log';
  const tail = await ctx.run(['tail', '-n', '5', '--', file]);
  return tail.exitCode === 0 && tail.stdout.trim() !== '' ? `; ${file} ends with:\n${tail.stdout.trimEnd()}` : '';
}

/** wait_for_members: polls serf members until enough alive (tagged) members are seen; fails naming what it saw. */
async function waitForMembers(ctx: ModuleContext, params: SerfAgentParams, target: RpcTarget): Promise<SerfMember[]> {
  const wait = params.wait_for_members!;
  const timeout = wait.timeout ?? 60;
  const deadline = Date.now() + timeout * 1000;
  for (;;) {
    const members = await readMembers(ctx, target);
    const matching = aliveWithTags(members, wait.tags);
    if (matching.length >= wait.count) return members;
    if (Date.now() > deadline) {
      const tags = wait.tags === undefined ? '' : ` with tags ${Object.entries(wait.tags).map(([k, v]) => `${k}=${v}`).join(',')}`;
      throw new Error(
        `wait_for_members: timed out after ${timeout} s waiting for ${wait.count} alive members${tags}; the agent sees ${matching.length}: ` +
          `${members.map((member) => `${member.name} (${member.status})`).join(', ')}`,
      );
    }
    await sleep(500);
  }
}

/**
 * Applies the plan's changes in order. A join planned for a freshly started agent is decided again once it answers:
 * its snapshot may already have brought it back into the cluster. wait_for_members runs on every run, changes or not.
 */
async function apply(ctx: ModuleContext, plan: Plan, params: SerfAgentParams): Promise<ModuleResult> {
  const executable = params.executable ?? 'serf';
  const want = params.state ?? 'started';
  // rpc_addr and rpc_auth do not depend on a generated key: the params' config, else the file the agent reads.
  const target = rpcTarget(params, (params.config as SerfConfig | undefined) ?? effectiveConfig(await gather(ctx, params)));
  let changed = false;
  let agent: AgentView | undefined;
  for (const change of plan.changes) {
    if (serfSubcommand(change, executable) === 'join' && agent !== undefined && addressesToJoin(params.join ?? [], agent.members, agent.name).length === 0) continue;
    await applyChange(ctx, change);
    changed = true;
    if (isStart(change)) agent = await waitUntilAnswering(ctx, params, plan, target);
  }
  if (want === 'stopped' || want === 'absent') return { ...plan.result, members: [], pid: null, changed };
  const members = params.wait_for_members !== undefined ? await waitForMembers(ctx, params, target) : await readMembers(ctx, target);
  const after = await gather(ctx, params);
  return { ...plan.result, node_name: after.agent?.name ?? plan.result?.node_name ?? null, members, pid: after.pid ?? null, changed };
}

export default defineModule<SerfAgentParams, SerfAgentState>({
  name: 'serf_agent',
  // Its gather asks the live agent (members come and go on their own) and may generate a key: never run ahead.
  meta: convergingMeta({
    members: 'the members the agent sees, parsed from serf members -format=json: name, addr, port, tags, status, protocol',
    node_name: "the agent's node name",
    restarted: 'true when the agent was restarted (a config change other than tags, or state restarted)',
    tags_changed: 'true when tags were applied live with serf tags, without a restart',
    pid: "the agent's PID (null when it does not run)",
    config_file: 'the config file',
    service_manager: 'systemd or daemon (start-stop-daemon with pid_file and log_file)',
  }, { gatherReadsOnly: false }),
  validate(params) {
    const want = params.state ?? 'started';
    if ((want === 'stopped' || want === 'absent') && ((params.join ?? []).length > 0 || params.wait_for_members !== undefined)) {
      return [{ path: '', message: `join and wait_for_members need state started or restarted, not ${want}` }];
    }
    return [];
  },
  gather,
  plan: planSerfAgent,
  apply,
});
