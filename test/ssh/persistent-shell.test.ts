import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSsh, type SshConnection } from '../../src/connection/ssh/index.js';
import { framedScript } from '../../src/connection/ssh/shell-session.js';
import { startSshLab, type SshLab } from '../lab/ssh-lab.js';
import { labTarget } from '../lab/ssh-target.js';

describe('persistent shell per connection (the default transport for commands without a timeout)', () => {
  let lab: SshLab;
  let shell: SshConnection;
  let exec: SshConnection;

  beforeAll(async () => {
    lab = await startSshLab();
    shell = await openSsh(labTarget(lab), 'shell');
    exec = await openSsh(labTarget(lab, { persistentShell: false }), 'exec');
  });
  afterAll(async () => {
    await Promise.all([shell?.close(), exec?.close()]);
    await lab?.stop();
  });

  it('gives the same bytes, stderr and exit codes as one exec per command', async () => {
    const every = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const cases: [string[] | { script: string }, Buffer | undefined][] = [
      [['cat'], Buffer.concat(Array.from({ length: 200 }, () => every))],
      [{ script: 'printf "no newline"; printf "err" >&2; exit 7' }, undefined],
      [{ script: 'printf "a\\nb\\n"; exit 0' }, undefined],
      [['printf', '%s', 'rackplay-end-not-a-mark 3\n'], undefined],
      [{ script: 'read line; echo "got $line"' }, Buffer.from('first\nsecond\n')],
      [{ script: 'cat; exit 3' }, Buffer.alloc(0)],
    ];
    for (const [command, stdin] of cases) {
      const [viaShell, viaExec] = await Promise.all([shell.run(command, { stdin }), exec.run(command, { stdin })]);
      expect(viaShell.stdoutBytes.equals(viaExec.stdoutBytes), JSON.stringify(command)).toBe(true);
      expect(viaShell.stderr).toBe(viaExec.stderr);
      expect(viaShell.exitCode).toBe(viaExec.exitCode);
    }
  });

  it('pipelines: fifty commands issued at once, with and without stdin, each get their own bytes and exit code', async () => {
    const commands = Array.from({ length: 50 }, (_, i) =>
      i % 3 === 0 ? { command: { script: `cat; printf 'err${i}' >&2; exit ${i % 7}` }, stdin: Buffer.from(`input ${i}\n`.repeat(i + 1)) } : { command: ['printf', '%s', `out ${i}`], stdin: undefined },
    );
    const results = await Promise.all(commands.map(({ command, stdin }) => shell.run(command, { stdin })));
    for (const [i, result] of results.entries()) {
      if (i % 3 === 0) {
        expect(result.stdout).toBe(`input ${i}\n`.repeat(i + 1));
        expect(result.stderr).toBe(`err${i}`);
        expect(result.exitCode).toBe(i % 7);
      } else {
        expect(result.stdout).toBe(`out ${i}`);
        expect(result.exitCode).toBe(0);
      }
    }
  });

  it('reuses one shell: commands are children of one long-lived sh, not of a new sshd session each', async () => {
    const parents = new Set<string>();
    for (let i = 0; i < 5; i++) parents.add((await shell.run({ script: 'echo "$PPID $(cat /proc/$PPID/comm)"' })).stdout.trim());
    expect(parents.size).toBe(1);
    expect([...parents][0]).toMatch(/ sh$/);
    expect((await exec.run({ script: 'cat /proc/$PPID/comm' })).stdout.trim()).toBe('sshd');
  });

  it('a command that kills its shell fails alone; the next command gets a fresh shell', async () => {
    await expect(shell.run({ script: 'kill -KILL $PPID' })).rejects.toThrow(/shell session ended/);
    expect((await shell.run(['echo', 'still here'])).stdout).toBe('still here\n');
  });

  it('frames stdin in a here-document that ends with the command', () => {
    const script = framedScript("sh -c 'cat'", 'MARK', 'hi');
    expect(script).toBe("base64 -d <<'MARK' | { sh -c 'cat'; }; printf 'MARK %d\\n' \"$?\"; printf 'MARK\\n' >&2\naGk=\nMARK\n");
  });
});
