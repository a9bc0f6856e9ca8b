import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { isRoot } from './test-user.js';

/**
 * Why the netns lab cannot run here, or undefined when it can. Probed once by really adding (and removing)
 * a namespace: being root is not enough inside some containers, and a skipped test must say why.
 */
export function netnsUnsupportedReason(): string | undefined {
  if (!isRoot()) return 'not root';
  for (const binary of ['/usr/sbin/sshd', '/usr/bin/unshare']) {
    if (!existsSync(binary)) return `${binary} is missing`;
  }
  const probe = `rp-probe-${randomBytes(4).toString('hex')}`;
  try {
    execFileSync('ip', ['netns', 'add', probe], { stdio: 'pipe' });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return `'ip netns add' failed: ${stderr || (error as Error).message}`;
  }
  execFileSync('ip', ['netns', 'del', probe], { stdio: 'pipe' });
  return undefined;
}

/** Why iptables cannot be used inside the lab's namespaces, or undefined when it can. */
export function iptablesUnsupportedReason(): string | undefined {
  try {
    execFileSync('iptables', ['--version'], { stdio: 'pipe' });
    return undefined;
  } catch {
    return 'iptables is not installed on the controller (apt-get install iptables)';
  }
}
