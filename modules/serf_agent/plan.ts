import type { Change, FileDiff, Plan } from '../../src/module/contract.js';
import { isStart, serfChange, startChange, stopChange } from './commands.js';
import type { RpcTarget, Supervision } from './commands.js';
import { addressesToJoin, configText, maskedConfigText, onlyTagsDiffer, parseConfig, tagArguments } from './config.js';
import type { SerfConfig } from './config.js';
import type { SerfAgentParamsFromSchema } from './params.generated.js';
import type { SerfMember } from './parse.js';

export type SerfAgentParams = SerfAgentParamsFromSchema;

export interface SerfAgentState {
  readonly supervision: Supervision;
  readonly pid?: number;
  readonly configText?: string;
  /** params.config with encrypt_key: generate replaced by the controller's key. */
  readonly desiredConfig?: SerfConfig;
  /** From the running agent, over its current RPC address; undefined when not running or not answering. */
  readonly agent?: { readonly name: string; readonly tags: Readonly<Record<string, string>>; readonly members: readonly SerfMember[] };
}

export const DEFAULT_RPC_ADDR = '127.0.0.1:7373';

/** How the serf CLI reaches the agent running with `config`. */
export function rpcTarget(params: SerfAgentParams, config: SerfConfig | undefined): RpcTarget {
  const auth = config?.rpc_auth;
  return {
    executable: params.executable ?? 'serf',
    rpcAddr: typeof config?.rpc_addr === 'string' ? config.rpc_addr : DEFAULT_RPC_ADDR,
    ...(typeof auth === 'string' ? { rpcAuth: auth } : {}),
  };
}

/** The config the agent runs with once the plan is applied: the desired one, else the file's. */
export function effectiveConfig(state: SerfAgentState): SerfConfig | undefined {
  return state.desiredConfig ?? parseConfig(state.configText);
}

/**
 * PURE. Config file first, then the process: a config change restarts, a change of tags alone is applied live with
 * serf tags (no restart), then a join when the agent is not in a cluster holding one of the join addresses.
 */
export function planSerfAgent(params: SerfAgentParams, state: SerfAgentState): Plan {
  const want = params.state ?? 'started';
  const s = state.supervision;
  const running = state.pid !== undefined;
  const problem = supervisionProblem(params, s);
  const result = baseResult(state);
  if (problem !== undefined && want !== 'absent' && !(want === 'stopped' && !running)) return { changes: [], failed: problem, result };

  const changes: Change[] = [];
  const diffs: FileDiff[] = [];
  const desiredText = state.desiredConfig === undefined ? undefined : configText(state.desiredConfig);
  const fileChanged = want !== 'absent' && desiredText !== undefined && desiredText !== state.configText;
  if (fileChanged) {
    if (state.configText === undefined) changes.push({ kind: 'command', argv: ['mkdir', '-p', '--', dirOf(s.configFile)], description: `create ${dirOf(s.configFile)}` });
    changes.push({ kind: 'put', path: s.configFile, content: desiredText, mode: '0600', description: `write ${s.configFile}` });
    diffs.push({ path: s.configFile, before: maskedConfigText(state.configText ?? ''), after: maskedConfigText(desiredText) });
  }

  if (want === 'absent' || want === 'stopped') {
    if (running) changes.push(stopChange(s, 'INT'));
    if (want === 'absent' && state.configText !== undefined) {
      changes.push({ kind: 'command', argv: ['rm', '-f', '--', s.configFile], description: `remove ${s.configFile}` });
      diffs.push({ path: s.configFile, before: maskedConfigText(state.configText), after: '' });
    }
    return finish(changes, diffs, { ...result, restarted: false, tags_changed: false }, running ? 'stop' : 'nothing');
  }

  const current = parseConfig(state.configText);
  const tagsOnly = fileChanged && running && current !== undefined && state.desiredConfig !== undefined && onlyTagsDiffer(current, state.desiredConfig);
  const restart = running && (want === 'restarted' || (fileChanged && !tagsOnly));
  let tagsChanged = false;
  if (!running) changes.push(startChange(s));
  else if (restart) changes.push(stopChange(s, 'TERM'), startChange(s));
  else {
    const desiredTags = state.desiredConfig?.tags as Readonly<Record<string, string>> | undefined;
    const args = desiredTags === undefined || state.agent === undefined ? [] : tagArguments(state.agent.tags, desiredTags);
    if (args.length > 0) {
      tagsChanged = true;
      changes.push(serfChange(rpcTarget(params, effectiveConfig(state)), 'tags', args, `serf tags ${args.join(' ')} (live, no restart)`));
    }
  }

  const join = params.join ?? [];
  const starting = changes.some(isStart);
  const toJoin = starting ? join : addressesToJoin(join, state.agent?.members ?? [], state.agent?.name);
  if (toJoin.length > 0) {
    const args = [...(params.replay === true ? ['-replay'] : []), ...toJoin];
    changes.push(serfChange(rpcTarget(params, effectiveConfig(state)), 'join', args, `serf join ${args.join(' ')}${starting ? ' (unless the agent is back in the cluster after its start)' : ''}`));
  }
  const predicted = { ...result, restarted: restart, tags_changed: tagsChanged };
  return finish(changes, diffs, predicted, running ? 'run' : 'start');
}

function finish(changes: Change[], diffs: FileDiff[], result: Record<string, unknown>, what: string): Plan {
  const noopReason = what === 'nothing' ? 'the serf agent is not running' : 'the serf agent runs with this config';
  return { changes, ...(diffs.length > 0 ? { diff: diffs } : {}), result, ...(changes.length === 0 ? { noopReason } : {}) };
}

function baseResult(state: SerfAgentState): Record<string, unknown> {
  const configured = effectiveConfig(state)?.node_name;
  return {
    config_file: state.supervision.configFile,
    node_name: typeof configured === 'string' ? configured : (state.agent?.name ?? null),
    members: state.agent?.members ?? [],
    pid: state.pid ?? null,
    service_manager: state.supervision.systemd ? 'systemd' : 'daemon',
  };
}

/** What is missing on the host to run the agent, as a message naming the fix. */
function supervisionProblem(params: SerfAgentParams, s: Supervision): string | undefined {
  if (s.serf === '') return `serf (${params.executable ?? 'serf'}) is not installed on the host (Debian: apt-get install serf)`;
  if (!s.systemd && s.startStopDaemon === '') return 'start-stop-daemon is not on the host (Debian: package dpkg); it runs the agent without systemd';
  if (s.systemd && !/^\/etc\/serf\/[^/]+\.json$/.test(s.configFile)) {
    return `with systemd the ${s.serviceName} unit reads /etc/serf/*.json, not ${s.configFile}: put config_file there or set service_manager: daemon`;
  }
  return undefined;
}

function dirOf(path: string): string {
  const index = path.lastIndexOf('/');
  return index <= 0 ? '/' : path.slice(0, index);
}
