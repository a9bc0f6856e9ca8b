import type { Change } from '../../src/module/contract.js';

/** How a serf CLI call reaches an agent: its RPC address and, when set, its auth token. */
export interface RpcTarget {
  readonly executable: string;
  readonly rpcAddr: string;
  readonly rpcAuth?: string;
}

/**
 * The token travels on stdin into SERF_RPC_AUTH (which the serf CLI reads), so it never shows in an argv,
 * a process list or a command description.
 */
const WITH_AUTH = 'if [ -n "$RACKPLAY_SERF_AUTH" ]; then IFS= read -r SERF_RPC_AUTH; export SERF_RPC_AUTH; fi; exec "$@"';

/** An argv run through `sh -c` with the token on stdin: `serf <subcommand> -rpc-addr=… args`. */
export function serfCall(target: RpcTarget, subcommand: string, args: readonly string[]): { argv: string[]; stdin?: string } {
  const call = [target.executable, subcommand, `-rpc-addr=${target.rpcAddr}`, ...args];
  if (target.rpcAuth === undefined) return { argv: call };
  return { argv: ['env', 'RACKPLAY_SERF_AUTH=1', 'sh', '-c', WITH_AUTH, 'sh', ...call], stdin: `${target.rpcAuth}\n` };
}

export function serfChange(target: RpcTarget, subcommand: string, args: readonly string[], description: string): Change {
  const { argv, stdin } = serfCall(target, subcommand, args);
  return { kind: 'command', argv, description, ...(stdin === undefined ? {} : { stdin }) };
}

/** The serf subcommand a change runs, when it is a serf CLI call. */
export function serfSubcommand(change: Change, executable: string): string | undefined {
  if (change.kind !== 'command') return undefined;
  const index = change.argv.indexOf(executable);
  return index === -1 ? undefined : change.argv[index + 1];
}

/**
 * Gather in one round trip: systemd or not, where serf and start-stop-daemon are, the agent's PID (the pidfile's,
 * kept only when /proc/PID/cmdline is a `serf agent`; systemd's MainPID under systemd), and the config file.
 * $1 executable, $2 config file, $3 pid file, $4 service name, $5 service manager (auto|systemd|daemon).
 */
export const PROBE_SCRIPT = `
if [ "$5" = systemd ] || { [ "$5" = auto ] && [ -d /run/systemd/system ]; }; then echo systemd=yes; managed=systemd; else echo systemd=no; managed=daemon; fi
echo "serf=$(command -v "$1" 2>/dev/null)"
ssd=$(command -v start-stop-daemon 2>/dev/null)
for candidate in /sbin/start-stop-daemon /usr/sbin/start-stop-daemon; do [ -z "$ssd" ] && [ -x "$candidate" ] && ssd=$candidate; done
echo "ssd=$ssd"
pid=
if [ "$managed" = systemd ]; then
  pid=$(systemctl show -p MainPID --value "$4" 2>/dev/null)
elif [ -r "$3" ]; then
  read -r pid < "$3" || true
  case "$pid" in ''|*[!0-9]*) pid= ;; esac
  if [ -n "$pid" ]; then
    if [ -r "/proc/$pid/cmdline" ] && tr '\\000' '\\n' < "/proc/$pid/cmdline" | head -n 1 | grep -q 'serf$' && tr '\\000' '\\n' < "/proc/$pid/cmdline" | grep -qx agent; then :; else pid=; fi
  fi
fi
[ "$pid" = 0 ] && pid=
echo "pid=$pid"
if [ -e "$2" ]; then echo config=present; echo ---; cat -- "$2"; else echo config=absent; fi
`;

/** Where the agent runs and how it is controlled. */
export interface Supervision {
  readonly systemd: boolean;
  readonly serf: string;
  readonly startStopDaemon: string;
  readonly configFile: string;
  readonly pidFile: string;
  readonly logFile: string;
  readonly serviceName: string;
}

/** Starts the agent: systemctl, or start-stop-daemon in the background with a pidfile and an appended log. */
export function startChange(s: Supervision): Change {
  if (s.systemd) return { kind: 'command', argv: ['systemctl', 'start', s.serviceName], description: `start ${s.serviceName} (systemd)` };
  return {
    kind: 'script',
    script: 'mkdir -p -- "$(dirname -- "$3")" "$(dirname -- "$4")" && exec "$1" --start --quiet --background --make-pidfile --pidfile "$3" --output "$4" --exec "$2" -- agent -config-file="$5"',
    args: [s.startStopDaemon, s.serf, s.pidFile, s.logFile, s.configFile],
    description: `start serf agent -config-file=${s.configFile} (pidfile ${s.pidFile}, log ${s.logFile})`,
  };
}

/**
 * Stops the agent. INT leaves the cluster gracefully (state stopped/absent); TERM stops without a leave (restart:
 * the snapshot, or join, brings it back). start-stop-daemon signals the pidfile's PID only when that process runs
 * the serf binary (--exec), then waits for it to exit (KILL after 15 s).
 */
export function stopChange(s: Supervision, signal: 'INT' | 'TERM'): Change {
  if (s.systemd) return { kind: 'command', argv: ['systemctl', 'stop', s.serviceName], description: `stop ${s.serviceName} (systemd)` };
  return {
    kind: 'command',
    argv: [s.startStopDaemon, '--stop', '--quiet', '--oknodo', '--retry', `${signal}/15/KILL/5`, '--pidfile', s.pidFile, '--exec', s.serf, '--remove-pidfile'],
    description: `stop the serf agent of ${s.pidFile} (SIG${signal}${signal === 'INT' ? ', graceful leave' : ''})`,
  };
}

export function isStart(change: Change): boolean {
  return (change.kind === 'script' && change.description.startsWith('start ')) || (change.kind === 'command' && change.argv[0] === 'systemctl' && change.argv[1] === 'start');
}
