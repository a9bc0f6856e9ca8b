import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildOnce, CACHE_DIR } from './cache.js';

export interface LabKernel {
  /** `linux-image-6.1.0-56-amd64`: the versioned package the meta-package depends on. */
  readonly packageName: string;
  /** The kernel release, `uname -r` inside the VM: `6.1.0-56-amd64`. */
  readonly release: string;
  readonly vmlinuz: string;
  /** `<tree>/lib/modules/<release>`. */
  readonly modulesDir: string;
}

/**
 * Debian's current kernel, downloaded (never installed: installing runs initramfs and bootloader hooks on
 * this machine) and unpacked with `dpkg -x` into the cache. Offline runs reuse whatever is cached.
 */
export function labKernel(): LabKernel {
  const packageName = versionedKernelPackage();
  const release = packageName.replace(/^linux-image-/, '');
  const tree = buildOnce(join(CACHE_DIR, packageName), (temp) => {
    const debs = join(CACHE_DIR, 'debs');
    mkdirSync(debs, { recursive: true });
    let deb = findDeb(debs, packageName);
    if (deb === undefined) {
      execFileSync('apt-get', ['download', packageName], { cwd: debs, stdio: 'pipe' });
      deb = findDeb(debs, packageName);
      if (deb === undefined) throw new Error(`apt-get download ${packageName} left no .deb in ${debs}`);
    }
    execFileSync('dpkg', ['-x', join(debs, deb), temp], { stdio: 'pipe' });
  });
  return { packageName, release, vmlinuz: join(tree, 'boot', `vmlinuz-${release}`), modulesDir: join(tree, 'lib', 'modules', release) };
}

/**
 * `apt-cache depends linux-image-amd64` names the versioned package, e.g. `linux-image-6.1.0-56-amd64`.
 * Without apt lists (a fresh container before `apt-get update`), a kernel already unpacked in the cache will do.
 */
function versionedKernelPackage(): string {
  let out = '';
  try {
    out = execFileSync('apt-cache', ['depends', 'linux-image-amd64'], { encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    out = String((error as { stderr?: unknown }).stderr ?? error);
  }
  const match = /Depends:\s*(linux-image-\S+-amd64)\b/.exec(out);
  if (match !== null) return match[1]!;
  const cached = existsSync(CACHE_DIR) ? readdirSync(CACHE_DIR).filter((name) => /^linux-image-\S+-amd64$/.test(name)).sort() : [];
  if (cached.length > 0) return cached[cached.length - 1]!;
  throw new Error(`apt-cache depends linux-image-amd64 named no versioned kernel (run apt-get update?):\n${out}`);
}

function findDeb(dir: string, packageName: string): string | undefined {
  return readdirSync(dir).find((name) => name.startsWith(`${packageName}_`) && name.endsWith('.deb'));
}
