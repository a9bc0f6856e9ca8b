import { readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { openSsh, sshTargetFromVars, type SshTarget } from '../../src/connection/ssh/index.js';
import { UnreachableError } from '../../src/connection/types.js';
import { freeLoopbackPort } from '../lab/free-port.js';
import { startSshLab, type SshLab } from '../lab/ssh-lab.js';
import { labTarget } from '../lab/ssh-target.js';

/** True when the TCP connection with this local port on 127.0.0.1 belongs to this process. */
function ownsLocalPort(port: number): boolean {
  const ours = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const found = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
      if (found !== null) ours.add(found[1]!);
    } catch {
      // fd closed while listing
    }
  }
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .some((fields) => fields[1]?.endsWith(`:${hexPort}`) && ours.has(fields[9] ?? ''));
}

describe('ProxyJump and ssh config against a real sshd', () => {
  let lab: SshLab;
  let configPath: string;

  beforeAll(async () => {
    lab = await startSshLab();
    configPath = join(lab.tempDir, 'ssh_config');
    writeFileSync(
      configPath,
      [
        'Host lab-alias',
        '  HostName 127.0.0.1',
        `  Port ${lab.port}`,
        `  User ${lab.user}`,
        `  IdentityFile ${lab.privateKeyPath}`,
        `  UserKnownHostsFile ${lab.knownHostsFile}`,
        '  StrictHostKeyChecking yes',
        'Host via-jump',
        '  HostName 127.0.0.1',
        `  Port ${lab.port}`,
        `  User ${lab.user}`,
        `  IdentityFile ${lab.privateKeyPath}`,
        `  UserKnownHostsFile ${lab.knownHostsFile}`,
        '  ProxyJump lab-alias',
        '',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await lab?.stop();
  });

  /** Runs `echo $SSH_CONNECTION` and returns the client-side port sshd saw. */
  async function clientPort(target: SshTarget): Promise<number> {
    const ssh = await openSsh(target, 'lab');
    try {
      const seen = (await ssh.run({ script: 'echo $SSH_CONNECTION' })).stdout.trim().split(' ');
      expect(seen[0]).toBe('127.0.0.1');
      return Number(seen[1]);
    } finally {
      await ssh.close();
    }
  }

  it('connects directly from this process without ProxyJump (control for the next test)', async () => {
    const ssh = await openSsh(labTarget(lab), 'lab');
    const port = Number((await ssh.run({ script: 'echo $SSH_CONNECTION' })).stdout.split(' ')[1]);
    expect(ownsLocalPort(port)).toBe(true);
    await ssh.close();
  });

  it('tunnels through a bastion (the lab sshd as its own bastion): the session comes from sshd, not from us', async () => {
    const port = await clientPort(labTarget(lab, { proxyJump: labTarget(lab) }));
    expect(ownsLocalPort(port)).toBe(false);
  });

  it('honours HostName, Port, User, IdentityFile and UserKnownHostsFile from an ssh config file', async () => {
    const target = sshTargetFromVars('lab-alias', {}, configPath);
    expect(target).toMatchObject({ host: '127.0.0.1', port: lab.port, user: lab.user, hostKeyChecking: 'strict' });
    const ssh = await openSsh(target, 'lab-alias');
    expect((await ssh.run(['id', '-un'])).stdout.trim()).toBe(lab.user);
    await ssh.close();
  });

  it('follows ProxyJump from the ssh config, resolving the hop through the config too', async () => {
    const target = sshTargetFromVars('via-jump', {}, configPath);
    expect(target.proxyJump).toMatchObject({ host: '127.0.0.1', port: lab.port, user: lab.user });
    expect(ownsLocalPort(await clientPort(target))).toBe(false);
  });

  it('reports a target the bastion cannot reach as UnreachableError', async () => {
    const closed = await freeLoopbackPort();
    const error = await openSsh(
      labTarget(lab, { port: closed, retries: 0, proxyJump: labTarget(lab) }),
      'behind-bastion',
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreachableError);
    expect((error as Error).message).toMatch(/^behind-bastion: .*ProxyJump could not reach the target/);
  });

  it('reports a bastion that refuses us as UnreachableError naming the hop', async () => {
    const error = await openSsh(
      labTarget(lab, { proxyJump: labTarget(lab, { privateKeyPaths: [] }) }),
      'behind-bastion',
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreachableError);
    expect((error as Error).message).toMatch(/^behind-bastion \(via ProxyJump\): .*authentication failed/);
  });

  it('connects to every alias of inventoryFor(n) through sshTargetFromVars', async () => {
    const inventory = parse(lab.inventoryFor(3)) as { all: { hosts: Record<string, null>; vars: Record<string, unknown> } };
    expect(Object.keys(inventory.all.hosts)).toEqual(['lab-1', 'lab-2', 'lab-3']);
    const connections = await Promise.all(
      Object.keys(inventory.all.hosts).map((alias) => openSsh(sshTargetFromVars(alias, inventory.all.vars, configPath), alias)),
    );
    const users = await Promise.all(connections.map(async (c) => (await c.run(['id', '-un'])).stdout.trim()));
    expect(users).toEqual([lab.user, lab.user, lab.user]);
    await Promise.all(connections.map((c) => c.close()));
  });
});
