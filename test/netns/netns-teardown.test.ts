import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { openSsh } from '../../src/connection/ssh/index.js';
import { ip } from '../lab/netns-exec.js';
import { netnsUnsupportedReason, startNetnsLab, type NetnsLab } from '../lab/netns-lab.js';
import { isAlive } from '../lab/netns-resources.js';

const skipReason = netnsUnsupportedReason();
if (skipReason !== undefined) console.warn(`SKIPPED: netns teardown tests: ${skipReason}`);
const itLab = skipReason === undefined ? it : it.skip;
const skipped = skipReason === undefined ? '' : ` (SKIPPED: ${skipReason})`;

/** Whatever of lab `id` is still on the controller: namespaces, links, and live (non-zombie) PIDs. */
async function leftovers(id: string, pids: readonly number[]): Promise<string[]> {
  const namespaces = (await ip('netns', 'list')).split('\n').filter((line) => line.startsWith(`rp-${id}-`));
  const links = (await ip('-o', 'link', 'show'))
    .split('\n')
    .filter((line) => line.includes(`rpbr-${id}`) || line.includes(`rpv${id}-`));
  // A killed process whose parent is init may linger as a zombie until init reaps it: it runs nothing.
  return [...namespaces, ...links, ...pids.filter(isAlive).map((pid) => `pid ${pid}`)];
}

describe('netns lab teardown', () => {
  const started: NetnsLab[] = [];
  afterAll(async () => {
    await Promise.allSettled(started.map((lab) => lab.stop()));
  });

  itLab(`stop() leaves no namespace, bridge, veth, sshd, session, detached process or temp dir${skipped}`, async () => {
    const lab = await startNetnsLab({ hosts: 3 });
    started.push(lab);
    const id = lab.bridge.slice('rpbr-'.length);
    expect(await leftovers(id, [])).toHaveLength(3 * 2 + 1); // 3 namespaces, 3 veths, 1 bridge

    // An open session (sshd forks per connection) and a daemon that detached from it, on host-1.
    const host = lab.hosts[0]!;
    const ssh = await openSsh(
      { host: host.address, user: lab.user, privateKeyPaths: [lab.privateKeyPath], knownHostsFile: lab.knownHostsFile },
      host.name,
    );
    const daemon = await ssh.run({ script: 'setsid sleep 600 </dev/null >/dev/null 2>&1 & echo $!' });
    const daemonPid = Number(daemon.stdout.trim());
    expect(daemonPid).toBeGreaterThan(0);
    const inNamespace = (await ip('netns', 'pids', host.namespace)).split('\n').filter(Boolean).map(Number);
    expect(inNamespace).toContain(daemonPid);
    const pids = [...new Set([...lab.hosts.map((h) => h.sshdPid), ...inNamespace])];
    expect(pids.every(isAlive)).toBe(true);

    await lab.stop();
    await ssh.close();
    expect(await leftovers(id, pids)).toEqual([]);
    expect(existsSync(lab.tempDir)).toBe(false);
    await lab.stop(); // idempotent
  });

  itLab(`a start that fails half-way removes what it had created${skipped}`, async () => {
    // An unknown sshd option makes every sshd exit at once, after the network is fully set up.
    const error = await startNetnsLab({ hosts: 2, extraSshdConfig: ['NoSuchRackplayOption yes'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const id = /sshd in rp-([0-9a-f]+)-\d+ did not start/.exec((error as Error).message)?.[1];
    expect(id, (error as Error).message).toBeDefined();
    expect(await leftovers(id!, [])).toEqual([]);
  });
});
