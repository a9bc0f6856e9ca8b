/** One member as `serf members -format=json` reports it. */
export interface SerfMember {
  readonly name: string;
  /** `ip:port` as Serf prints it ("127.0.0.1:7946", "[::1]:7946"). */
  readonly addr: string;
  readonly port: number;
  readonly tags: Readonly<Record<string, string>>;
  /** alive, leaving, left, failed. */
  readonly status: string;
  readonly protocol?: Readonly<Record<string, number>>;
}

/** Parses `serf members -format=json`: {"members":[{name, addr, port, tags, status, protocol}]}. */
export function parseMembers(json: string): SerfMember[] {
  const data = JSON.parse(json) as { members?: unknown };
  if (data === null || typeof data !== 'object' || !Array.isArray(data.members)) throw new Error('serf members: no "members" list in its JSON output');
  return (data.members as Record<string, unknown>[]).map((member) => ({
    name: String(member.name),
    addr: String(member.addr),
    port: Number(member.port),
    tags: stringRecord(member.tags),
    status: String(member.status),
    ...(member.protocol !== null && typeof member.protocol === 'object' ? { protocol: member.protocol as Record<string, number> } : {}),
  }));
}

/** The host part of a member address: "10.0.0.1:7946" → 10.0.0.1, "[::1]:7946" → ::1. */
export function addressHost(addr: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(addr);
  if (bracketed !== null) return bracketed[1]!;
  const colons = addr.split(':').length - 1;
  return colons === 1 ? addr.slice(0, addr.lastIndexOf(':')) : addr;
}

/** The agent's own name and tags from `serf info -format=json`. */
export function parseInfo(json: string): { name: string; tags: Record<string, string> } {
  const data = JSON.parse(json) as { agent?: { name?: unknown }; tags?: unknown };
  return { name: String(data.agent?.name ?? ''), tags: stringRecord(data.tags) };
}

/** What the gather probe script prints: key=value lines, then `---` and the config file when it exists. */
export interface Probe {
  readonly systemd: boolean;
  /** Absolute path of the serf binary, '' when not found. */
  readonly serf: string;
  readonly startStopDaemon: string;
  /** PID of the running agent (pidfile checked against /proc/PID/cmdline, or systemd's MainPID). */
  readonly pid?: number;
  /** The config file's text, undefined when it does not exist. */
  readonly configText?: string;
}

export function parseProbe(output: string): Probe {
  const separator = output.indexOf('\n---\n');
  const head = separator === -1 ? output : output.slice(0, separator);
  const values = new Map(head.split('\n').filter((line) => line.includes('=')).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
  const pid = Number(values.get('pid'));
  return {
    systemd: values.get('systemd') === 'yes',
    serf: values.get('serf') ?? '',
    startStopDaemon: values.get('ssd') ?? '',
    ...(Number.isInteger(pid) && pid > 0 ? { pid } : {}),
    ...(values.get('config') === 'present' ? { configText: separator === -1 ? '' : output.slice(separator + 5) } : {}),
  };
}

function stringRecord(value: unknown): Record<string, string> {
  if (value === null || typeof value !== 'object') return {};
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, String(item)]));
}
