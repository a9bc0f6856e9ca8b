import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { rackplay, tempDir } from '../helpers/cli.js';
import { writeFiles } from '../helpers/playbook.js';
import { startEmulator } from '../sum/emulator.js';
import type { Emulator } from '../sum/emulator.js';
import { BMC_PASSWORD, x11Board } from '../sum/models.js';
import { inlineVault, vaultText } from './fixtures.js';

const VAULT_PASSWORD = 'vault-pw-for-masking';
// Shorter than the 4 characters an x-secret parameter needs: a vault value is a secret anyway.
const PIN = 'Q7z';

/** Runs the CLI in-process as if stdout were a terminal, so the live (listr) view renders. */
async function rackplayOnTty(...argv: string[]): Promise<{ code: number; output: string }> {
  let output = '';
  const write = (chunk: string | Uint8Array) => ((output += String(chunk)), true);
  const code = await main(argv, { stdout: { write, isTTY: true, columns: 120, rows: 40 } as never, stderr: { write } as never });
  return { code, output };
}

describe('vault values are masked in every output, and real where modules receive them', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let emulator: Emulator;
  let files: Record<string, string>;
  const path = (name: string) => join(dir, name);

  beforeAll(async () => {
    ({ path: dir, cleanup } = await tempDir('rackplay-vault-mask-'));
    emulator = await startEmulator(x11Board());
    files = await writeFiles(dir, {
      pw: VAULT_PASSWORD,
      'inventory.yml': `all:\n  children:\n    bmcs:\n      hosts:\n        node01-bmc: { bmc_address: 127.0.0.1, ansible_connection: local }\n`,
      // group_vars/bmcs/vault.yml: the usual layout, the whole file vaulted.
      // Its values are secrets, not its lines: `---` must not mask every diff header.
      'group_vars/bmcs/vault.yml': vaultText(`---\nvault_bmc_password: '${BMC_PASSWORD}'\n`, VAULT_PASSWORD),
      'group_vars/bmcs/vars.yml': `bmc_password: "{{vault_bmc_password}}"\nbmc_url: "https://ADMIN:{{bmc_password}}@{{bmc_address}}/redfish"\n`,
      'bmc.conf.hbs': 'user = ADMIN\npassword = {{bmc_password}}\npin = {{pin}}\n',
      'site.yml': `- hosts: bmcs
  vars:
    pin: ${inlineVault(PIN, VAULT_PASSWORD, 4)}
  tasks:
    - name: debug a vaulted value and a string built from it
      debug: { msg: "password {{bmc_password}} at {{bmc_url}} pin {{pin}}" }
    - name: debug var
      debug: { var: bmc_password }
    - name: template with diff
      template: { src: bmc.conf.hbs, dest: "${join('{{out}}', 'bmc.conf')}" }
    - name: loop over secrets
      command: { argv: [echo, "item={{item}}"] }
      loop: ["{{bmc_password}}", "{{pin}}", "plain"]
    - name: a no_log loop that fails shows no item
      command: { argv: [sh, -c, "echo $0; exit 4", "{{item}}"] }
      loop: ["{{bmc_password}}"]
      no_log: true
      ignore_errors: true
    - name: sum_bios logs in with the vaulted password
      sum_bios: { mode: oob, bmc_host: "{{bmc_address}}", bmc_user: ADMIN, bmc_password: "{{bmc_password}}", sum_path: "${emulator.sumPath}", settings: { "Advanced|Boot Feature|Quiet Boot": Disabled } }
    - name: a failing command prints the secret
      command: { argv: [sh, -c, "echo \\"login $0 pin $1\\"; echo \\"denied $0\\" >&2; exit 3", "{{bmc_password}}", "{{pin}}"] }
`,
    });
  });
  afterAll(async () => {
    await emulator.cleanup();
    await cleanup();
  });

  const args = async (out: string) => {
    await mkdir(path(out));
    return argv(out);
  };
  const argv = (out: string): string[] => ['run', files['site.yml']!, '-i', files['inventory.yml']!, '--vault-password-file', files.pw!, '-e', `out=${path(out)}`, '--diff'];

  it('plain, json, -v and -vvv never show the password, the pin or the URL built from them', async () => {
    const modes: string[][] = [['--output', 'plain'], ['--output', 'plain', '-v'], ['--output', 'plain', '-vvv'], ['--output', 'json'], ['--output', 'json', '-v']];
    for (const [index, mode] of modes.entries()) {
      await emulator.write(x11Board());
      const run = await rackplay(...(await args(`out${index}`)), ...mode);
      const all = run.stdout + run.stderr;
      expect(run.code, all).toBe(2);
      expect(all, mode.join(' ')).not.toContain(BMC_PASSWORD);
      expect(all).not.toContain(PIN);
      expect(all).not.toContain('ADMIN:Sup3r');
      expect(all).toContain('********');
      // The outputs still say what happened: the failure, its masked message, the masked items.
      // Plain output without -v shows a failure's message only; -v and json show its stdout and stderr.
      if (mode.includes('json') || mode.some((flag) => flag.startsWith('-v'))) {
        expect(all).toContain('login ******** pin ********');
        expect(all).toContain('denied ********');
      }
      expect(all).toContain('item=********');
      expect(all).toContain('https://ADMIN:********@127.0.0.1/redfish');
      if (mode.includes('json')) for (const line of run.stdout.trim().split('\n')) JSON.parse(line);

      // What the modules received was real: the template on disk, and the BMC accepted the login.
      expect(await readFile(join(path(`out${index}`), 'bmc.conf'), 'utf8')).toBe(`user = ADMIN\npassword = ${BMC_PASSWORD}\npin = ${PIN}\n`);
      // SUM refuses a wrong password (exit 146); the setting changed, so the real one reached it.
      expect((await emulator.read()).pendingReboot).toBe(true);
    }
  });

  it('the diff of the template is shown, masked', async () => {
    const run = await rackplay(...(await args('diffcheck')), '--output', 'plain');
    expect(run.stdout).toContain('--- before: ');
    expect(run.stdout).toMatch(/\+password = \*{8}/);
    expect(run.stdout).toMatch(/\+pin = \*{8}/);
  });

  it('a one-letter vault value is masked without breaking the events renderers dispatch on', async () => {
    const play = await writeFiles(dir, {
      'short.yml': `- hosts: localhost\n  gather_facts: false\n  vars:\n    letter: ${inlineVault('o', VAULT_PASSWORD, 4)}\n  tasks:\n    - debug: { msg: "letter {{letter}}" }\n    - command: { argv: [sh, -c, "exit 1"] }\n      ignore_errors: true\n`,
    });
    const run = await rackplay('run', play['short.yml']!, '--vault-password-file', files.pw!, '--output', 'json');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const events = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; status?: string; result?: { msg?: string } });
    const results = events.filter((event) => event.type === 'host_result');
    expect(results.map((event) => event.status)).toEqual(['ok', 'failed']);
    expect(results[0]!.result!.msg).toBe('letter ********');
    expect(events.at(-1)!.type).toBe('recap');
  });

  it('the live terminal view never shows them either', async () => {
    await emulator.write(x11Board());
    const run = await rackplayOnTty(...(await args('tty')), '--output', 'tty', '-v');
    expect(run.code, run.output).toBe(2);
    expect(run.output.length).toBeGreaterThan(0);
    expect(run.output).not.toContain(BMC_PASSWORD);
    expect(run.output).not.toContain(PIN);
    expect(run.output).toContain('********');
    // The live view ran (listr's task marks), not the plain fallback.
    expect(run.output).toContain('✔ TASK [debug var]');
  });
});
