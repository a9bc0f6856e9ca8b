import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSsh, type SshConnection } from '../../src/connection/ssh/index.js';
import { CommandTimeoutError } from '../../src/connection/types.js';
import { startSshLab, type SshLab } from '../lab/ssh-lab.js';
import { labTarget } from '../lab/ssh-target.js';

describe('SshConnection.run against a real sshd', () => {
  let lab: SshLab;
  let ssh: SshConnection;

  beforeAll(async () => {
    lab = await startSshLab();
    ssh = await openSsh(labTarget(lab), 'lab-1');
  });
  afterAll(async () => {
    await ssh?.close();
    await lab?.stop();
  });

  it('reports exit codes exactly', async () => {
    for (const code of [0, 1, 2, 42, 255]) {
      const result = await ssh.run({ script: `exit ${code}` });
      expect(result.exitCode).toBe(code);
    }
    expect((await ssh.run(['false'])).exitCode).toBe(1);
    expect((await ssh.run(['sh', '-c', 'kill -TERM $$'])).exitCode).toBe(128 + 15);
  });

  it('runs as the lab user with argv quoting intact', async () => {
    const result = await ssh.run(['printf', '%s|', 'a b', "it's", '$HOME', '*', '']);
    expect(result.stdout).toBe("a b|it's|$HOME|*||");
    expect((await ssh.run(['id', '-un'])).stdout.trim()).toBe(lab.user);
  });

  it('feeds stdin (string and Buffer) and keeps stdout and stderr apart', async () => {
    expect((await ssh.run(['cat'], { stdin: 'hello\nworld' })).stdout).toBe('hello\nworld');
    const big = Buffer.alloc(3 * 1024 * 1024, 'x');
    const counted = await ssh.run(['wc', '-c'], { stdin: big });
    expect(counted.stdout.trim()).toBe(String(big.length));
    const mixed = await ssh.run({ script: 'echo out; echo err >&2; exit 3' });
    expect(mixed).toMatchObject({ stdout: 'out\n', stderr: 'err\n', exitCode: 3 });
  });

  it('keeps large stderr exact, next to stdout', async () => {
    const result = await ssh.run({ script: 'head -c 1000000 /dev/zero | tr "\\0" e >&2; echo done' });
    expect(result.stdout).toBe('done\n');
    expect(result.stderr).toBe('e'.repeat(1_000_000));
  });

  it('returns binary stdout byte for byte (all 256 values)', async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const result = await ssh.run(['cat'], { stdin: bytes });
    expect(result.stdoutBytes.equals(bytes)).toBe(true);
    const octal = Array.from({ length: 256 }, (_, i) => `\\${i.toString(8).padStart(3, '0')}`).join('');
    const printed = await ssh.run(['printf', octal]);
    expect(printed.stdoutBytes.equals(bytes)).toBe(true);
  });

  it('applies env and cwd', async () => {
    const result = await ssh.run({ script: 'echo "$GREETING"; pwd' }, { env: { GREETING: 'hello' }, cwd: '/tmp' });
    expect(result.stdout).toBe('hello\n/tmp\n');
    const missing = await ssh.run(['true'], { cwd: '/does/not/exist' });
    expect(missing.exitCode).not.toBe(0);
  });

  // wrapCommand() quotes env values into `K='v'` and then the argv is quoted again, so the quotes reach the
  // value (locally too). Flip to `it` once src/connection/quote.ts emits `${k}=${v}` unquoted.
  it('env values that need quoting arrive intact', async () => {
    const result = await ssh.run({ script: 'echo "$GREETING"' }, { env: { GREETING: "it's me" } });
    expect(result.stdout).toBe("it's me\n");
  });

  it('runs 50 commands in parallel on one connection, beyond sshd MaxSessions 10', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => ssh.run({ script: `sleep 0.05; echo ${i}; exit ${i % 7}` })),
    );
    results.forEach((result, i) => {
      expect(result.stdout).toBe(`${i}\n`);
      expect(result.exitCode).toBe(i % 7);
    });
  });

  it('waits and retries when sshd refuses channels (pool larger than MaxSessions)', async () => {
    const greedy = await openSsh(labTarget(lab, { maxChannels: 30 }), 'greedy');
    try {
      const results = await Promise.all(
        Array.from({ length: 60 }, (_, i) => greedy.run({ script: `sleep 0.1; echo ${i}` })),
      );
      expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 60 }, (_, i) => `${i}\n`));
    } finally {
      await greedy.close();
    }
  });

  it('times out a command, kills its whole process group, and the connection stays usable', async () => {
    const started = performance.now();
    // Background and foreground grandchildren: a signal to the session's shell alone would orphan them.
    const command = { script: 'sleep 37.25 & sleep 37.25; wait' };
    await expect(ssh.run(command, { timeoutMs: 300 })).rejects.toBeInstanceOf(CommandTimeoutError);
    expect(performance.now() - started).toBeLessThan(1_500);
    expect((await ssh.run(['echo', 'still here'])).stdout).toBe('still here\n');
    const survivors = await ssh.run({ script: 'sleep 0.2; ps -eo args | grep -c "^sleep 37.25" || true' });
    expect(survivors.stdout.trim()).toBe('0');
  });

  it('measures exec latency (sequential and 200 in parallel)', async () => {
    for (let i = 0; i < 10; i++) await ssh.run(['true']); // warm-up
    const n = 100;
    let started = performance.now();
    for (let i = 0; i < n; i++) await ssh.run(['true']);
    const sequentialMs = (performance.now() - started) / n;
    started = performance.now();
    const results = await Promise.all(Array.from({ length: 200 }, () => ssh.run(['true'])));
    const parallelMs = performance.now() - started;
    started = performance.now();
    await (await openSsh(labTarget(lab), 'lab-2')).close();
    const handshakeMs = performance.now() - started;
    console.info(
      `ssh latency: handshake+auth ${handshakeMs.toFixed(0)} ms; exec ${sequentialMs.toFixed(2)} ms sequential; ` +
        `200 execs in parallel (8 channels) in ${parallelMs.toFixed(0)} ms`,
    );
    expect(results.every((r) => r.exitCode === 0)).toBe(true);
    expect(sequentialMs).toBeLessThan(50); // generous: a 2-core CI box under parallel test files
  });
});
