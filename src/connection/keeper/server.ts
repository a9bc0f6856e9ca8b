import { createHash } from 'node:crypto';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { SshConnection, SshTarget } from '../ssh/index.js';
import { connectTo, errorToWire, fromWire, keeperPidFile, keeperSocket, readJsonLines, toWire } from './protocol.js';
import type { Bytes } from './protocol.js';

interface Kept {
  readonly connection: Promise<SshConnection>;
  users: number;
  idleMs: number;
  timer?: NodeJS.Timeout;
}

interface Request {
  readonly id: number;
  readonly op: 'open' | 'run' | 'put' | 'get' | 'release';
  readonly handle?: number;
  readonly target?: SshTarget;
  readonly alias?: string;
  readonly idleSeconds?: number;
  readonly command?: readonly string[] | { script: string };
  readonly options?: Record<string, unknown> & { stdin?: Bytes };
  readonly content?: Bytes;
  readonly path?: string;
}

/**
 * `rackplay connection-keeper`: holds authenticated SSH connections between runs, like OpenSSH's
 * ControlPersist, so a run's connects cost a Unix-socket round trip instead of a handshake (about 18 ms of
 * the target's CPU per host, measured). A connection is reused only for the same alias and the same target
 * (host, port, user, keys, known_hosts, secrets: hashed together), closes after its idle time with no run
 * using it, and the keeper exits once it holds none and no run is attached.
 */
export async function runKeeper(dir: string): Promise<void> {
  const { openSsh } = await import('../ssh/index.js');
  const socketPath = keeperSocket(dir);
  if (await answers(socketPath)) return; // another keeper already serves this folder
  rmSync(socketPath, { force: true });
  const kept = new Map<string, Kept>();
  let clients = 0;
  let exitTimer: NodeJS.Timeout | undefined;
  // Nothing kept and no run attached: gone after a moment (longer at start, for the run that spawned it).
  const scheduleExit = (graceMs = 1_000): void => {
    clearTimeout(exitTimer);
    if (clients === 0 && kept.size === 0) exitTimer = setTimeout(() => server.close(), graceMs);
  };
  const release = (key: string): void => {
    const entry = kept.get(key);
    if (entry === undefined) return;
    entry.users = Math.max(0, entry.users - 1);
    if (entry.users > 0) return;
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => {
      kept.delete(key);
      void entry.connection.then((connection) => connection.close()).catch(() => undefined).finally(scheduleExit);
    }, entry.idleMs);
  };

  const server = createServer((socket) => {
    clients++;
    clearTimeout(exitTimer);
    const handles = new Map<number, { key: string; connection: SshConnection }>();
    let nextHandle = 1;
    const reply = (message: object) => socket.write(`${JSON.stringify(message)}\n`);
    const serve = async (request: Request): Promise<object> => {
      if (request.op === 'open') {
        const target = request.target!;
        const key = createHash('sha256').update(JSON.stringify([request.alias, target])).digest('hex');
        let entry = kept.get(key);
        if (entry !== undefined && !(await entry.connection.then((connection) => connection.alive, () => false))) {
          kept.delete(key);
          entry = undefined;
        }
        const idleMs = Math.max(1, request.idleSeconds ?? 60) * 1000;
        if (entry === undefined) {
          entry = { connection: openSsh(target, request.alias!), users: 0, idleMs };
          entry.connection.catch(() => kept.delete(key));
          kept.set(key, entry);
        }
        entry.users++;
        entry.idleMs = Math.max(entry.idleMs, idleMs);
        clearTimeout(entry.timer);
        let connection: SshConnection;
        try {
          connection = await entry.connection;
        } catch (error) {
          entry.users--;
          throw error;
        }
        const handle = nextHandle++;
        handles.set(handle, { key, connection });
        return { handle };
      }
      const held = handles.get(request.handle!);
      if (held === undefined) throw new Error(`connection keeper: no connection ${request.handle}`);
      const { stdin, ...options } = request.options ?? {};
      switch (request.op) {
        case 'run': {
          const result = await held.connection.run(request.command!, { ...options, stdin: fromWire(stdin) });
          return { result: { stdout: toWire(result.stdoutBytes), stderr: result.stderr, exitCode: result.exitCode, durationMs: result.durationMs } };
        }
        case 'put':
          await held.connection.put(fromWire(request.content)!, request.path!, options);
          return {};
        case 'get':
          return { content: toWire(await held.connection.get(request.path!, options)) };
        case 'release':
          handles.delete(request.handle!);
          release(held.key);
          return {};
      }
    };
    readJsonLines<Request>(socket, (request) => {
      serve(request).then(
        (answer) => reply({ id: request.id, ok: true, ...answer }),
        (error: unknown) => reply({ id: request.id, ok: false, error: errorToWire(error) }),
      );
    });
    const detach = (): void => {
      // A run that ended (or died) without releasing: its connections stay kept, but free for the next run.
      for (const { key } of handles.values()) release(key);
      handles.clear();
      clients--;
      scheduleExit();
    };
    socket.once('close', detach);
    socket.on('error', () => undefined);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  chmodSync(socketPath, 0o600);
  writeFileSync(keeperPidFile(dir), `${process.pid}\n`, { mode: 0o600 });
  scheduleExit(10_000);
  const stop = (): void => {
    clearTimeout(exitTimer);
    server.close();
    for (const entry of kept.values()) {
      clearTimeout(entry.timer);
      void entry.connection.then((connection) => connection.close()).catch(() => undefined);
    }
    kept.clear();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  await new Promise<void>((resolve) => server.once('close', () => resolve()));
  clearTimeout(exitTimer);
  await Promise.allSettled([...kept.values()].map((entry) => entry.connection.then((connection) => connection.close())));
  rmSync(keeperPidFile(dir), { force: true });
}

/** Whether a keeper listens on this socket. */
export function answers(socketPath: string): Promise<boolean> {
  return connectTo(socketPath).then(
    (probe) => {
      probe.end();
      return true;
    },
    () => false,
  );
}
