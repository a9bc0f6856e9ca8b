import type { Change, FileDiff, Plan } from '../../src/module/contract.js';
import { archiveChange, cloneChange, commandChange, createChange, startChange, target, waitChange, writeConfigChange } from './commands.js';
import type { LxcContainerParams } from './commands.js';
import { editConfig, namedValues, rootfsDirectory, wantedValues } from './config.js';
import type { ConfigValue } from './config.js';
import type { LxcInfo } from './parse.js';

/** What gather read. Paths are on the target. */
export interface LxcContainerState {
  readonly lxcPath: string;
  readonly exists: boolean;
  /** lxc-info, when the container exists. */
  readonly info?: LxcInfo;
  /** The config file's content, when the container exists. */
  readonly configText?: string;
  /** Interface names inside the container (its network namespace), when it runs. */
  readonly interfaces?: readonly string[];
  /** Whether `creates` exists inside the container; only known when it runs or is frozen. */
  readonly createsExists?: boolean;
  /** Whether archive.path exists on the host. */
  readonly archiveExists?: boolean;
  /** With clone_from and a missing container: the source's lxc-info, or undefined when there is no such container. */
  readonly cloneSource?: LxcInfo;
}

export type Settled = 'ABSENT' | 'STOPPED' | 'RUNNING' | 'FROZEN';
export type Transition = 'create' | 'start' | 'stop' | 'freeze' | 'unfreeze' | 'destroy';
export type WantedState = NonNullable<LxcContainerParams['state']>;

/**
 * The fewest transitions from one state to the wanted one. `restart` asks for a stop and start of a container
 * that runs (or is frozen): a config change with restart_on_config_change. restarted always restarts.
 */
export function transitions(from: Settled, to: WantedState, restart = false): Transition[] {
  if (from === 'ABSENT') return to === 'absent' ? [] : ['create', ...transitions('STOPPED', to)];
  const up = from === 'RUNNING' || from === 'FROZEN';
  const thaw: Transition[] = from === 'FROZEN' ? ['unfreeze'] : [];
  const bounce: Transition[] = up ? [...thaw, 'stop', 'start'] : [];
  switch (to) {
    case 'absent':
      return [...thaw, ...(up ? (['stop'] as const) : []), 'destroy'];
    case 'stopped':
      return up ? [...thaw, 'stop'] : [];
    case 'started':
      if (!up) return ['start'];
      return restart ? bounce : thaw;
    case 'restarted':
      return up ? bounce : ['start'];
    case 'frozen':
      if (!up) return ['start', 'freeze'];
      if (restart) return [...bounce, 'freeze'];
      return from === 'FROZEN' ? [] : ['freeze'];
    case 'present':
      return restart && up ? [...bounce, ...(from === 'FROZEN' ? (['freeze'] as const) : [])] : [];
    default:
      throw new Error(`unknown state ${String(to)}`);
  }
}

/** STARTING, STOPPING, FREEZING… are waited out: the state they lead to, and the wait that gets there. */
function settle(info: LxcInfo | undefined): { state: Settled; wait?: 'RUNNING' | 'STOPPED' | 'FROZEN' } {
  switch (info?.state) {
    case undefined:
      return { state: 'ABSENT' };
    case 'RUNNING':
    case 'THAWED':
      return { state: 'RUNNING' };
    case 'FROZEN':
      return { state: 'FROZEN' };
    case 'STARTING':
      return { state: 'RUNNING', wait: 'RUNNING' };
    case 'FREEZING':
      return { state: 'FROZEN', wait: 'FROZEN' };
    case 'STOPPING':
    case 'ABORTING':
      return { state: 'STOPPED', wait: 'STOPPED' };
    default:
      return { state: 'STOPPED' };
  }
}

const FINAL_STATE: Readonly<Record<Exclude<WantedState, 'present'>, string>> = { started: 'running', restarted: 'running', stopped: 'stopped', frozen: 'frozen', absent: 'absent' };

/** The state the container ends in, in lxc-info's words lowercased (community.general reports 'running'…). */
function finalState(wanted: WantedState, current: Settled): string {
  if (wanted === 'present') return current === 'ABSENT' ? 'stopped' : current.toLowerCase();
  return FINAL_STATE[wanted];
}

function transitionChanges(params: LxcContainerParams, lxcPath: string, steps: readonly Transition[]): Change[] {
  const name = params.name;
  const timeout = params.wait_timeout ?? 60;
  const on = target(lxcPath, name);
  return steps.flatMap((step): Change[] => {
    switch (step) {
      case 'create':
        return [];
      case 'start':
        return [startChange(lxcPath, name), waitChange(lxcPath, name, 'RUNNING', timeout)];
      case 'stop':
        return [{ kind: 'command', argv: ['lxc-stop', ...on, '-t', String(timeout), '-l', 'ERROR'], description: `stop ${name}` }, waitChange(lxcPath, name, 'STOPPED', timeout)];
      case 'freeze':
        return [{ kind: 'command', argv: ['lxc-freeze', ...on, '-l', 'ERROR'], description: `freeze ${name}` }, waitChange(lxcPath, name, 'FROZEN', timeout)];
      case 'unfreeze':
        return [{ kind: 'command', argv: ['lxc-unfreeze', ...on, '-l', 'ERROR'], description: `unfreeze ${name}` }, waitChange(lxcPath, name, 'RUNNING', timeout)];
      case 'destroy':
        return [{ kind: 'command', argv: ['lxc-destroy', ...on, '-l', 'ERROR'], description: `destroy ${name}` }];
    }
  });
}

function stateDiff(name: string, from: Settled, to: string, steps: readonly Transition[]): FileDiff {
  const word = from === 'ABSENT' ? 'absent' : from.toLowerCase();
  return { path: `lxc container ${name} state`, before: `state: ${word}\n`, after: `state: ${to}\ntransitions: ${steps.join(', ')}\n` };
}

/** The task's return values as this plan sees them (apply replaces state, pid, ips and interfaces with what it reads after). */
function resultOf(params: LxcContainerParams, state: LxcContainerState, finalWord: string, configText: string, restartRequired: boolean): Record<string, unknown> {
  return {
    name: params.name,
    lxc_path: state.lxcPath,
    state: finalWord,
    pid: state.info?.pid ?? null,
    ips: state.info?.ips ?? [],
    interfaces: state.interfaces ?? [],
    config: namedValues(configText, params.config as Readonly<Record<string, ConfigValue>> | undefined),
    restart_required: restartRequired,
  };
}

function archivePlan(params: LxcContainerParams, state: LxcContainerState, configText: string, creating: boolean): Change | string | undefined {
  if (params.archive === undefined || state.archiveExists === true) return undefined;
  // A container still to be created has no config to read yet: its dir rootfs will be lxc-create's default.
  const rootfs = creating ? `${state.lxcPath}/${params.name}/rootfs` : rootfsDirectory(configText);
  if (rootfs === undefined) return `archive: ${params.name} is not a dir-backed container (lxc.rootfs.path), its rootfs cannot be archived`;
  return archiveChange(rootfs, params.archive.path, params.archive.compression ?? 'gzip');
}

/**
 * Creation, config, state and command, as a pure function of what gather read. A container that does not exist
 * yet is planned as created then as a fresh one with an empty config: apply reads the new container after lxc-create
 * and plans the rest again, so the config it writes starts from the template's file.
 */
export function planLxcContainer(params: LxcContainerParams, state: LxcContainerState): Plan {
  const { name } = params;
  const wanted: WantedState = params.state ?? 'started';
  const lxcPath = state.lxcPath;
  const settled = state.exists ? settle(state.info) : { state: 'ABSENT' as const };
  const changes: Change[] = [];
  const result = (configText: string, restartRequired: boolean): Record<string, unknown> => resultOf(params, state, finalState(wanted, settled.state), configText, restartRequired);

  if (!state.exists) {
    if (wanted === 'absent') return { changes: [], result: result('', false), noopReason: `container ${name} does not exist` };
    if (params.clone_from !== undefined) {
      const source = state.cloneSource;
      if (source === undefined) return { changes: [], failed: `clone_from: container ${params.clone_from} does not exist in ${lxcPath}`, result: result('', false) };
      if (source.state !== 'STOPPED' && params.clone_snapshot !== true) {
        return { changes: [], failed: `clone_from: ${params.clone_from} is ${source.state}; lxc-copy copies a stopped container (stop it first, or use clone_snapshot)`, result: result('', false) };
      }
      changes.push(cloneChange(params, lxcPath, params.clone_from));
    } else {
      if (params.template === undefined) {
        return { changes: [], failed: `container ${name} does not exist in ${lxcPath} and no template is given to create it (template: busybox, debian…, or clone_from)`, result: result('', false) };
      }
      changes.push(createChange(params, lxcPath, params.template));
    }
    const fresh = planExisting(params, { ...state, exists: true, info: { state: 'STOPPED', ips: [], links: [] }, configText: '', interfaces: [], createsExists: undefined }, true);
    if (fresh.failed !== undefined) return fresh;
    const steps = transitions('ABSENT', wanted);
    const freshDiffs = [fresh.diff ?? []].flat().filter((diff) => diff.path !== `lxc container ${name} state`);
    return {
      changes: [...changes, ...fresh.changes],
      diff: [stateDiff(name, 'ABSENT', finalState(wanted, 'ABSENT'), steps), ...freshDiffs.map((diff) => ({ ...diff, path: `${diff.path} (after lxc-create)` }))],
      result: { ...fresh.result, state: finalState(wanted, 'ABSENT') },
    };
  }
  return planExisting(params, state, false);
}

function planExisting(params: LxcContainerParams, state: LxcContainerState, creating: boolean): Plan {
  const { name } = params;
  const wanted: WantedState = params.state ?? 'started';
  const lxcPath = state.lxcPath;
  const configPath = `${lxcPath}/${name}/config`;
  const timeout = params.wait_timeout ?? 60;
  const before = state.configText ?? '';
  const { state: current, wait } = settle(state.info);
  const changes: Change[] = wait === undefined ? [] : [waitChange(lxcPath, name, wait, timeout)];
  const diffs: FileDiff[] = [];

  if (wanted === 'absent') {
    const archive = archivePlan(params, state, before, creating);
    if (typeof archive === 'string') return { changes: [], failed: archive };
    const steps = transitions(current, 'absent');
    changes.push(...(archive === undefined ? [] : [archive]), ...transitionChanges(params, lxcPath, steps));
    return {
      changes,
      diff: [stateDiff(name, current, 'absent', steps), { path: configPath, before, after: '' }],
      result: { ...resultOf(params, { lxcPath, exists: false }, 'absent', '', false), config: {}, ...(archive === undefined ? {} : { archive: params.archive?.path }) },
    };
  }

  const purge = params.config_purge_keys ?? [];
  const wantedConfig = wantedValues(params.config as Readonly<Record<string, ConfigValue>> | undefined);
  const after = editConfig(before, wantedConfig, purge);
  const configChanged = after !== before;
  if (configChanged) {
    changes.push(writeConfigChange(configPath, lxcPath, name, after, [...wantedConfig.keys()]));
    diffs.push({ path: configPath, before, after });
  }

  const up = current === 'RUNNING' || current === 'FROZEN';
  const takesEffectAnyway = wanted === 'stopped' || wanted === 'restarted';
  const restart = configChanged && up && !takesEffectAnyway && params.restart_on_config_change === true;
  const restartRequired = configChanged && up && !takesEffectAnyway && !restart;
  const steps = transitions(current, wanted, restart);

  // container_command runs once the container runs: after the transitions, or before a final freeze (a container
  // that stays frozen is thawed for it). With creates unknown (it did not run at gather) the command checks creates itself.
  const commandNeeded = params.container_command !== undefined && (params.creates === undefined || state.createsExists !== true);
  const [stepsBefore, stepsAfter]: [Transition[], Transition[]] = !commandNeeded
    ? [steps, []]
    : steps.at(-1) === 'freeze'
      ? [steps.slice(0, -1), ['freeze']]
      : current === 'FROZEN' && wanted === 'frozen'
        ? [['unfreeze'], ['freeze']]
        : [steps, []];
  const allSteps = [...stepsBefore, ...stepsAfter];
  changes.push(...transitionChanges(params, lxcPath, stepsBefore));
  if (commandNeeded) changes.push(commandChange(lxcPath, name, params.container_command!, state.createsExists === false ? undefined : params.creates));
  changes.push(...transitionChanges(params, lxcPath, stepsAfter));

  const archive = archivePlan(params, state, after, creating);
  if (typeof archive === 'string') return { changes: [], failed: archive };
  if (archive !== undefined) changes.push(archive);

  if (allSteps.length > 0 || creating) diffs.unshift(stateDiff(name, current, finalState(wanted, current), allSteps));
  const noop = current === 'RUNNING' ? 'runs' : current === 'FROZEN' ? 'is frozen' : 'is stopped';
  return {
    changes,
    diff: diffs,
    result: { ...resultOf(params, state, finalState(wanted, current), after, restartRequired), ...(archive === undefined ? {} : { archive: params.archive?.path }) },
    noopReason: `container ${name} ${noop}${params.container_command !== undefined && !commandNeeded ? `, ${params.creates} exists` : ''}`,
  };
}
