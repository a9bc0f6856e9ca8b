import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lstatSync, mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import type { Socket } from 'node:net';
import { CommandTimeoutError, StaleFileError, UnreachableError } from '../types.js';

/**
 * The connection keeper's wire format: one JSON object per line over a Unix socket only its user can open.
 * Bytes travel as { b64 }; errors as their class name, so the run sees the same UnreachableError,
 * CommandTimeoutError or StaleFileError a direct connection throws.
 */
export type Bytes = string | { readonly b64: string };

export const toWire = (value: string | Buffer | undefined): Bytes | undefined => (value === undefined || typeof value === 'string' ? value : { b64: value.toString('base64') });
export const fromWire = (value: Bytes | undefined): string | Buffer | undefined => (value === undefined || typeof value === 'string' ? value : Buffer.from(value.b64, 'base64'));

export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly timeoutMs?: number;
  readonly command?: string;
  readonly path?: string;
}

export function errorToWire(error: unknown): WireError {
  if (error instanceof CommandTimeoutError) return { name: error.name, message: error.message, timeoutMs: error.timeoutMs, command: error.command };
  if (error instanceof StaleFileError) return { name: error.name, message: error.message, path: error.path };
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

export function errorFromWire(wire: WireError): Error {
  if (wire.name === 'UnreachableError') return new UnreachableError(wire.message);
  if (wire.name === 'CommandTimeoutError') return new CommandTimeoutError(wire.timeoutMs ?? 0, wire.command ?? '');
  if (wire.name === 'StaleFileError') return new StaleFileError(wire.path ?? '');
  return new Error(wire.message);
}

/**
 * The keeper's folder: RACKPLAY_KEEPER_DIR, else rackplay-keeper-UID under XDG_RUNTIME_DIR or the temp dir.
 * Created 0700; refused unless it is a real folder owned by this user that nobody else can enter, because
 * whoever opens the socket runs commands on every kept host.
 */
export function keeperDir(): string {
  const uid = process.getuid?.() ?? 0;
  const dir = process.env.RACKPLAY_KEEPER_DIR ?? join(process.env.XDG_RUNTIME_DIR ?? tmpdir(), `rackplay-keeper-${uid}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const info = lstatSync(dir);
  if (!info.isDirectory() || info.uid !== uid || (info.mode & 0o077) !== 0) {
    throw new Error(`${dir} must be a folder owned by uid ${uid} with mode 0700 (it holds the connection keeper's socket)`);
  }
  return dir;
}

export const keeperSocket = (dir: string): string => join(dir, 'keeper.sock');
export const keeperPidFile = (dir: string): string => join(dir, 'keeper.pid');

/** Connects to the keeper's socket; rejects when nothing listens there. */
export function connectTo(socketPath: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath);
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Hands each JSON line the socket carries to `handle`; a line that is not JSON ends the socket. */
export function readJsonLines<T>(socket: Socket, handle: (message: T) => void): void {
  let buffered = '';
  socket.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      let message: T;
      try {
        message = JSON.parse(line) as T;
      } catch {
        socket.destroy();
        return;
      }
      handle(message);
    }
  });
}
