import { get } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rackplay, recapOf, tempDir } from '../helpers/cli.js';
import { writeFiles } from '../helpers/playbook.js';
import { lxcUnsupportedReason, startLxcLab } from '../lab/lxc-lab.js';
import type { LxcLab } from '../lab/lxc-lab.js';

const unsupported = lxcUnsupportedReason();
if (unsupported !== undefined) console.warn(`SKIPPED test/lxc/lxc-web.test.ts: real LXC cannot run here: ${unsupported}`);

const playbook = join(import.meta.dirname, '..', '..', 'playbooks', 'lxc-web.yml');

/** GET / from the host over the lab bridge (the address was checked to route there first). */
function fetchPage(address: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = get({ host: address, port: 80, path: '/', timeout: 5_000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve(body));
    });
    request.on('timeout', () => request.destroy(new Error(`no answer from ${address}:80 within 5 s`)));
    request.on('error', reject);
  });
}

describe.skipIf(unsupported !== undefined)('playbooks/lxc-web.yml: two busybox web containers on a bridge', () => {
  let lab: LxcLab;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let vars: string;

  beforeAll(async () => {
    // The playbook creates the bridge itself; the lab only picks its name and a free subnet, and deletes it after.
    lab = await startLxcLab({ bridge: true, createBridge: false });
    dir = await tempDir();
    const web = [0, 1].map((index) => ({ name: lab.name(`web${index + 1}`), address: lab.address(index) }));
    vars = (await writeFiles(dir.path, {
      'vars.json': JSON.stringify({ lxc_path: lab.lxcPath, web_bridge: lab.bridge!.name, web_gateway: lab.bridge!.subnet.gateway, web_prefix: 24, web_servers: web }),
    }))['vars.json']!;
  });
  afterAll(async () => {
    await lab?.stop();
    await dir?.cleanup();
  });

  it('converges, a second run reports changed=0, and httpd answers in each container over the bridge', async () => {
    const args = ['run', playbook, '-e', `@${vars}`, '--output', 'plain'];
    const first = await rackplay(...args);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(recapOf(first.stdout, 'localhost')).toMatchObject({ failed: 0 });
    expect(recapOf(first.stdout, 'localhost').changed).toBeGreaterThan(0);

    const second = await rackplay(...args);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(recapOf(second.stdout, 'localhost'), second.stdout).toMatchObject({ changed: 0, failed: 0 });

    const addresses = [lab.address(0), lab.address(1)];
    await lab.assertOnBridge(addresses);
    for (const [index, address] of addresses.entries()) {
      expect(lab.state(lab.name(`web${index + 1}`))).toBe('RUNNING');
      expect(await fetchPage(address)).toBe(`${lab.name(`web${index + 1}`)}\n`);
    }
    expect(second.stdout).toContain(`${lab.name('web1')}=${addresses[0]}`);
  });
});
