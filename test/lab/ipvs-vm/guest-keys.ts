import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKey } from '../keys.js';
import { GUEST_HOST_KEY } from './guest-files.js';

export interface GuestKeys {
  /** The client key authorized for root in the guest. */
  readonly privateKeyPath: string;
  /** The guest's ed25519 host key, base64 of its wire blob (what known_hosts holds). */
  readonly hostKeyBlob: string;
  /** A newc cpio with both, to append to the cached initramfs: the kernel unpacks it over the first. */
  readonly archive: Buffer;
}

/** Fresh keys for one boot, made in `dir`: the cached initramfs holds none. */
export function makeGuestKeys(dir: string): GuestKeys {
  const privateKeyPath = join(dir, 'id_ed25519');
  const userKey = generateKey(privateKeyPath, 'ed25519', '', 'rackplay-ipvs-lab');
  const hostKeyPath = join(dir, 'dropbear_ed25519_host_key');
  execFileSync('dropbearkey', ['-t', 'ed25519', '-f', hostKeyPath], { stdio: 'pipe' });
  const hostKeyLine = execFileSync('dropbearkey', ['-y', '-f', hostKeyPath], { encoding: 'utf8' })
    .split('\n')
    .find((line) => line.startsWith('ssh-ed25519 '));
  if (hostKeyLine === undefined) throw new Error('dropbearkey -y printed no ssh-ed25519 line');
  return { privateKeyPath, hostKeyBlob: hostKeyLine.split(' ')[1]!, archive: keyArchive(dir, userKey, hostKeyPath) };
}

/** dropbear refuses keys and ~/.ssh that others can read or write. */
function keyArchive(dir: string, userKey: string, hostKeyPath: string): Buffer {
  const root = join(dir, 'overlay');
  mkdirSync(join(root, 'root', '.ssh'), { recursive: true });
  mkdirSync(join(root, 'etc', 'dropbear'), { recursive: true });
  chmodSync(join(root, 'root'), 0o700);
  chmodSync(join(root, 'root', '.ssh'), 0o700);
  writeFileSync(join(root, 'root', '.ssh', 'authorized_keys'), `${userKey}\n`, { mode: 0o600 });
  copyFileSync(hostKeyPath, join(root, GUEST_HOST_KEY));
  chmodSync(join(root, GUEST_HOST_KEY), 0o600);
  return execFileSync('sh', ['-c', 'find . -print0 | LC_ALL=C sort -z | cpio --null --create --format=newc --owner=0:0 --quiet'], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
  });
}
