import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';

/** The dedicated login of the SSH lab: /bin/sh keeps rc files (root's pyenv bashrc costs ~100 ms) out of timings. */
export const TEST_USER = 'rackplay-test';

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

export function currentUser(): string {
  return userInfo().username;
}

/**
 * Creates `rackplay-test` unless it exists. Test files run in parallel, so a concurrent useradd may win
 * the race; that is fine as long as the user exists afterwards. The password field is only reset when it
 * is locked ('!'): a locked account makes sshd (UsePAM no) refuse even key logins, while a password set by
 * a concurrently running password-auth lab must be left alone.
 */
export function ensureTestUser(): string {
  if (!userExists(TEST_USER)) {
    try {
      execFileSync('useradd', ['-m', '-s', '/bin/sh', TEST_USER], { stdio: 'pipe' });
    } catch (error) {
      if (!userExists(TEST_USER)) throw error;
    }
  }
  if (shadowPassword(TEST_USER).startsWith('!')) retryLocked(() => setPasswordField(TEST_USER, '*'));
  return TEST_USER;
}

/** Sets a clear-text password (for password-auth tests); `lockPassword` puts '*' back. */
export function setPassword(user: string, password: string): void {
  retryLocked(() => execFileSync('chpasswd', { input: `${user}:${password}\n`, stdio: ['pipe', 'pipe', 'pipe'] }));
}

export function lockPassword(user: string): void {
  retryLocked(() => setPasswordField(user, '*'));
}

export function homeOf(user: string): string {
  return execFileSync('getent', ['passwd', user], { encoding: 'utf8' }).split(':')[5] ?? '';
}

function setPasswordField(user: string, field: string): void {
  execFileSync('usermod', ['-p', field, user], { stdio: 'pipe' });
}

function userExists(user: string): boolean {
  try {
    execFileSync('id', ['-u', user], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

function shadowPassword(user: string): string {
  return execFileSync('getent', ['shadow', user], { encoding: 'utf8' }).split(':')[1] ?? '';
}

/** shadow-utils fails fast when another process holds /etc/passwd's lock; parallel test files do that. */
function retryLocked(action: () => void): void {
  for (let attempt = 0; ; attempt++) {
    try {
      action();
      return;
    } catch (error) {
      if (attempt >= 20) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
}
