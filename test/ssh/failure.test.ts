import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openSsh } from '../../src/connection/ssh/index.js';
import { UnreachableError } from '../../src/connection/types.js';
import { freeLoopbackPort } from '../lab/free-port.js';
import { startSshLab, type SshLab } from '../lab/ssh-lab.js';
import { labTarget } from '../lab/ssh-target.js';

describe('unreachable hosts and lost connections', () => {
  let lab: SshLab | undefined;
  let silent: Server | undefined;
  const sockets: Socket[] = [];
  afterEach(async () => {
    await lab?.stop();
    lab = undefined;
    for (const socket of sockets.splice(0)) socket.destroy();
    await new Promise((resolve) => (silent === undefined ? resolve(undefined) : silent.close(resolve)));
    silent = undefined;
  });

  it('reports a closed port as UnreachableError quickly, after its retries', async () => {
    const port = await freeLoopbackPort();
    const started = performance.now();
    const error = await openSsh({ host: '127.0.0.1', port, user: 'nobody', retries: 2 }, 'closed').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreachableError);
    expect((error as Error).message).toMatch(new RegExp(`^closed: ssh nobody@127\\.0\\.0\\.1:${port}: ECONNREFUSED.*after 3 attempts`));
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('times out a server that accepts TCP but never speaks SSH', async () => {
    silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent!.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const started = performance.now();
    const error = await openSsh({ host: '127.0.0.1', port, connectTimeoutMs: 300, retries: 1 }, 'mute').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UnreachableError);
    expect((error as Error).message).toMatch(/handshake.*after 2 attempts/i);
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it('turns a host that dies mid-session into UnreachableError for running and later commands', async () => {
    lab = await startSshLab();
    const ssh = await openSsh(labTarget(lab), 'doomed');
    expect((await ssh.run(['true'])).exitCode).toBe(0);
    const running = ssh.run(['sleep', '30']).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 200));
    lab.crash();
    const started = performance.now();
    expect(await running).toBeInstanceOf(UnreachableError);
    expect(performance.now() - started).toBeLessThan(5_000);
    const later = await ssh.run(['true']).catch((e: unknown) => e);
    expect(later).toBeInstanceOf(UnreachableError);
    expect((later as Error).message).toMatch(/^doomed: ssh /);
    await expect(ssh.put('x', '/tmp/x')).rejects.toBeInstanceOf(UnreachableError);
    await ssh.close();
  });

  it('refuses commands after close() with UnreachableError', async () => {
    lab = await startSshLab();
    const ssh = await openSsh(labTarget(lab), 'closed-by-us');
    await ssh.close();
    await expect(ssh.run(['true'])).rejects.toBeInstanceOf(UnreachableError);
  });
});
