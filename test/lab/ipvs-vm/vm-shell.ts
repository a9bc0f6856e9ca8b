import { readFileSync } from 'node:fs';
import ssh2 from 'ssh2';
import type { Client } from 'ssh2';

export interface VmCommandResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

export interface VmSshTarget {
  readonly port: number;
  readonly privateKeyPath: string;
  /** The guest's host key blob (base64 of the wire format), pinned: no known_hosts needed. */
  readonly hostKeyBlob: string;
}

/**
 * A plain ssh2 session to the VM for tests to set up and read back kernel state, independent of rackplay's
 * own SSH transport (which is what the tests exercise).
 */
export class VmShell {
  private constructor(private readonly client: Client) {}

  static async connect(target: VmSshTarget, timeoutMs: number): Promise<VmShell> {
    const client = new ssh2.Client();
    const expected = Buffer.from(target.hostKeyBlob, 'base64');
    // ssh2 may emit several errors for one failed attempt (handshake, then socket): keep listening, settle once.
    client.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      client.once('ready', () => resolve());
      client.once('error', (error) => {
        client.destroy();
        reject(error);
      });
      client.once('close', () => reject(new Error('connection closed before authentication')));
      client.connect({
        host: '127.0.0.1',
        port: target.port,
        username: 'root',
        privateKey: readFileSync(target.privateKeyPath),
        hostVerifier: (key: Buffer) => key.equals(expected),
        readyTimeout: timeoutMs,
      });
    });
    return new VmShell(client);
  }

  /** Runs `command` through the guest's /bin/sh; never throws on a non-zero exit. */
  async run(command: string, stdin?: string): Promise<VmCommandResult> {
    return await new Promise((resolve, reject) => {
      this.client.exec(command, (error, channel) => {
        if (error) return reject(error);
        let stdout = '';
        let stderr = '';
        channel.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
        channel.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
        let code = -1;
        channel.on('exit', (exitCode: number | null) => (code = exitCode ?? -1));
        channel.on('close', () => resolve({ stdout, stderr, code }));
        if (stdin !== undefined) channel.end(stdin);
        else channel.end();
      });
    });
  }

  /** Like run, but throws with the command's output unless it exits 0. */
  async check(command: string, stdin?: string): Promise<string> {
    const result = await this.run(command, stdin);
    if (result.code !== 0) throw new Error(`in the ipvs VM, '${command}' exited ${result.code}:\n${result.stderr}${result.stdout}`);
    return result.stdout;
  }

  close(): void {
    this.client.end();
  }
}
