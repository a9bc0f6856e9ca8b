import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSshConfig, resolveSshConfig } from '../../src/connection/ssh/ssh-config.js';
import { sshTargetFromVars } from '../../src/connection/ssh/vars.js';

const CONFIG = `
# global defaults come first only if written first
Host web-* !web-bad
  HostName %h.internal
  User deploy
  Port 2200
  IdentityFile ~/.ssh/web_key

Host db?
  HostName=10.0.0.5
  IdentityFile "/keys/db key"
  ProxyJump jump@bastion:2022
  StrictHostKeyChecking accept-new

Match exec "false"
  User never

Host *
  User fallback
  Port 2201
  IdentityFile /keys/all
  UserKnownHostsFile /kh/%h
`;

describe('ssh config resolution', () => {
  const blocks = parseSshConfig(CONFIG);

  it('applies the first value per keyword across matching Host blocks, in file order', () => {
    expect(resolveSshConfig(blocks, 'web-1')).toMatchObject({
      hostName: '%h.internal',
      user: 'deploy',
      port: 2200,
      identityFiles: ['~/.ssh/web_key', '/keys/all'],
    });
  });

  it('honours negated patterns, ? wildcards, Key=Value and quoted values', () => {
    expect(resolveSshConfig(blocks, 'web-bad')).toMatchObject({ user: 'fallback', port: 2201 });
    expect(resolveSshConfig(blocks, 'db1')).toMatchObject({
      hostName: '10.0.0.5',
      identityFiles: ['/keys/db key', '/keys/all'],
      proxyJump: 'jump@bastion:2022',
      strictHostKeyChecking: 'accept-new',
    });
    expect(resolveSshConfig(blocks, 'db12').hostName).toBeUndefined();
  });

  it('ignores Match blocks it cannot evaluate', () => {
    expect(resolveSshConfig(blocks, 'other').user).toBe('fallback');
  });
});

describe('sshTargetFromVars', () => {
  let dir: string;
  let configPath: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rackplay-sshcfg-'));
    configPath = join(dir, 'config');
    writeFileSync(join(dir, 'key'), 'not read at this stage');
    writeFileSync(
      configPath,
      `Host web-*\n  HostName %h.internal\n  User deploy\n  Port 2200\n  IdentityFile ${dir}/key\n  IdentityFile ${dir}/missing\n` +
        `Host db1\n  ProxyJump jump@bastion:2022,second\n  StrictHostKeyChecking no\n  UserKnownHostsFile ${dir}/kh-%h\n`,
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('falls back to the ssh config, keeping only identity files that exist', () => {
    const target = sshTargetFromVars('web-1', {}, configPath);
    expect(target).toMatchObject({ host: 'web-1.internal', port: 2200, user: 'deploy', privateKeyPaths: [`${dir}/key`] });
    expect(target.hostKeyChecking).toBe('strict');
    expect(target.knownHostsFile).toBe(join(homedir(), '.ssh', 'known_hosts'));
  });

  it('lets ansible_* vars override the config and rackplay_* vars override ansible_*', () => {
    const target = sshTargetFromVars(
      'alias',
      {
        ansible_host: 'web-2',
        ansible_port: '2300',
        ansible_user: 'ansible-user',
        rackplay_user: 'rackplay-user',
        ansible_ssh_private_key_file: '~/id_custom',
        ansible_password: 'pw',
        ansible_become_password: 'bpw',
        ansible_ssh_host_key_checking: false,
        rackplay_host_key_checking: 'accept-new',
      },
      configPath,
    );
    expect(target).toMatchObject({
      host: 'web-2.internal', // ansible_host is the ssh destination, so the config's HostName still applies
      port: 2300,
      user: 'rackplay-user',
      privateKeyPaths: [join(homedir(), 'id_custom')],
      password: 'pw',
      becomePassword: 'bpw',
      hostKeyChecking: 'accept-new',
    });
    expect(sshTargetFromVars('x', { ansible_host_key_checking: 'False' }, configPath).hostKeyChecking).toBe('off');
  });

  it('builds a ProxyJump chain and maps StrictHostKeyChecking / UserKnownHostsFile', () => {
    const target = sshTargetFromVars('db1', {}, configPath);
    expect(target.hostKeyChecking).toBe('off');
    expect(target.knownHostsFile).toBe(`${dir}/kh-db1`);
    // "jump@bastion:2022,second": reach bastion, then second, then db1.
    expect(target.proxyJump).toMatchObject({ host: 'second', port: 22, user: userInfo().username });
    expect(target.proxyJump?.proxyJump).toMatchObject({ host: 'bastion', port: 2022, user: 'jump' });
    expect(target.proxyJump?.proxyJump?.knownHostsFile).toBe(`${dir}/kh-db1`);
  });

  it('reads ProxyJump from ansible_ssh_common_args', () => {
    const target = sshTargetFromVars('h', { ansible_ssh_common_args: '-o ProxyJump=ops@gw:2022' }, configPath);
    expect(target.proxyJump).toMatchObject({ host: 'gw', port: 2022, user: 'ops' });
  });

  it('defaults to the current user, port 22 and strict host key checking', () => {
    const target = sshTargetFromVars('plain', {}, join(dir, 'absent-config'));
    expect(target).toMatchObject({ host: 'plain', port: 22, user: userInfo().username, hostKeyChecking: 'strict' });
  });
});
