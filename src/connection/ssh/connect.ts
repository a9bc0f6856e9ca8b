import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import type { Client } from 'ssh2';
import { UnreachableError } from '../types.js';
import { planAuth } from './auth.js';
import { hostKeyCheck } from './host-key-check.js';
import { describeTarget, SSH_DEFAULTS, type SshTarget } from './target.js';

/** An authenticated ssh2 client plus the bastion chain it tunnels through (closed with it). */
export interface ClientHandle {
  readonly client: Client;
  close(): void;
}

/** A failed attempt; `retryable` is false for verdicts that another try cannot change (auth, host key). */
class AttemptError extends Error {
  constructor(message: string, readonly retryable: boolean, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const RETRYABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
const BACKOFF_BASE_MS = 200;

/**
 * Connects and authenticates, retrying refused/reset/timed-out attempts with exponential backoff.
 * Every failure becomes an UnreachableError naming the alias and user@host:port.
 */
export async function connectClient(target: SshTarget, alias: string): Promise<ClientHandle> {
  let bastion: ClientHandle | undefined;
  if (target.proxyJump !== undefined) bastion = await connectClient(target.proxyJump, `${alias} (via ProxyJump)`);
  const retries = target.retries ?? SSH_DEFAULTS.retries;
  for (let attempt = 0; ; attempt++) {
    try {
      const sock = bastion === undefined ? await tcpConnect(target) : await tunnel(bastion.client, target);
      const client = await attemptConnect(target, sock);
      return {
        client,
        close: () => {
          client.end();
          bastion?.close();
        },
      };
    } catch (error) {
      const failure = error instanceof AttemptError ? error : new AttemptError(String(error), false, { cause: error });
      if (!failure.retryable || attempt >= retries) {
        bastion?.close();
        const tries = attempt > 0 ? ` after ${attempt + 1} attempts` : '';
        throw new UnreachableError(`${alias}: ssh ${describeTarget(withUser(target))}: ${failure.message}${tries}`, {
          cause: failure.cause ?? failure,
        });
      }
      await sleep(BACKOFF_BASE_MS * 2 ** attempt * (0.75 + Math.random() / 2));
    }
  }
}

/**
 * The TCP socket, opened here rather than by ssh2 so that Nagle is off from the first packet: with it on,
 * delayed ACKs stretch the handshake from ~35 ms to ~200 ms and every channel open by ~85 ms (measured).
 */
function tcpConnect(target: SshTarget): Promise<Socket> {
  const timeoutMs = target.connectTimeoutMs ?? SSH_DEFAULTS.connectTimeoutMs;
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.host, port: target.port ?? SSH_DEFAULTS.port });
    socket.setNoDelay(true);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new AttemptError(`TCP connect timed out after ${timeoutMs} ms`, true));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const retryable = error.code !== undefined && RETRYABLE_CODES.has(error.code);
      reject(new AttemptError(`${error.code ?? 'error'}: ${error.message}`, retryable, { cause: error }));
    });
  });
}

/** A direct-tcpip channel from the bastion to the target, used as the target's socket. */
function tunnel(bastion: Client, target: SshTarget): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    try {
      bastion.forwardOut('127.0.0.1', 0, target.host, target.port ?? SSH_DEFAULTS.port, (error, stream) => {
        if (error) reject(new AttemptError(`ProxyJump could not reach the target: ${error.message}`, true, { cause: error }));
        else resolve(stream);
      });
    } catch (error) {
      reject(new AttemptError(`ProxyJump connection lost: ${(error as Error).message}`, false, { cause: error }));
    }
  });
}

function attemptConnect(target: SshTarget, sock: Duplex): Promise<Client> {
  const user = target.user ?? userInfo().username;
  const port = target.port ?? SSH_DEFAULTS.port;
  const mode = target.hostKeyChecking ?? SSH_DEFAULTS.hostKeyChecking;
  const knownHosts = target.knownHostsFile ?? join(homedir(), '.ssh', 'known_hosts');
  const check = hostKeyCheck(mode, knownHosts, target.host, port);
  const auth = planAuth(target, user);
  const client = new ssh2.Client();
  return new Promise((resolve, reject) => {
    let ready = false;
    const fail = (error: AttemptError): void => {
      if (ready) return;
      ready = true; // settle once; later events belong to nobody
      client.end();
      reject(error);
    };
    client.once('ready', () => {
      if (ready) return;
      ready = true;
      resolve(client);
    });
    client.on('error', (error: Error & { level?: string; code?: string }) => {
      fail(classify(error, check.rejection, auth));
    });
    client.once('close', () => fail(new AttemptError('connection closed during the handshake', true)));
    client.connect({
      host: target.host,
      port,
      username: user,
      sock,
      readyTimeout: target.connectTimeoutMs ?? SSH_DEFAULTS.connectTimeoutMs,
      keepaliveInterval: target.keepaliveIntervalMs ?? SSH_DEFAULTS.keepaliveIntervalMs,
      keepaliveCountMax: 3,
      hostVerifier: (key: Buffer) => check.verify(key),
      algorithms: { serverHostKey: check.algorithms as never },
      authHandler: auth.handler,
    });
  });
}

function classify(
  error: Error & { level?: string; code?: string },
  hostKeyRejection: string | undefined,
  auth: { tried: readonly string[]; problems: readonly string[] },
): AttemptError {
  if (hostKeyRejection !== undefined) return new AttemptError(hostKeyRejection, false, { cause: error });
  if (error.level === 'client-authentication') {
    const tried = auth.tried.length > 0 ? auth.tried.join(', ') : 'no usable method (no key, agent or password)';
    const problems = auth.problems.length > 0 ? `; ${auth.problems.join('; ')}` : '';
    return new AttemptError(`authentication failed (tried: ${tried})${problems}`, false, { cause: error });
  }
  if (error.level === 'client-timeout') return new AttemptError(error.message, true, { cause: error });
  if (error.code !== undefined && RETRYABLE_CODES.has(error.code)) {
    return new AttemptError(`${error.code}: ${error.message}`, true, { cause: error });
  }
  return new AttemptError(error.message, false, { cause: error });
}

function withUser(target: SshTarget): SshTarget {
  return target.user !== undefined ? target : { ...target, user: userInfo().username };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
