import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { buildOnce, CACHE_DIR } from './cache.js';
import { guestFiles } from './guest-files.js';
import type { LabKernel } from './kernel.js';

/** Bump when the layout changes in a way the hashed inputs do not show. */
const LAYOUT_VERSION = 1;

/** Host binaries copied into the guest, with the shared libraries ldd finds for them. */
const BINARIES = ['/bin/busybox', '/usr/sbin/ipvsadm', '/usr/sbin/dropbear'];

/**
 * Kernel modules in the guest (dependencies are added from modinfo): every IPVS scheduler, the NIC qemu
 * emulates by default (e1000), dummy for the real servers' route, and crc32c_generic, which libcrc32c
 * needs loaded but does not declare.
 */
export const GUEST_MODULES = [
  'e1000',
  'dummy',
  'crc32c_generic',
  'ip_vs',
  ...['rr', 'wrr', 'lc', 'wlc', 'lblc', 'lblcr', 'dh', 'sh', 'sed', 'nq', 'fo', 'ovf', 'mh'].map((s) => `ip_vs_${s}`),
];

/**
 * The guest's initramfs as an uncompressed newc cpio (the kernel unpacks it faster than gzip under TCG),
 * cached under a hash of everything that goes in: a second build only hashes the inputs.
 */
export function labInitramfs(kernel: LabKernel): string {
  const missing = BINARIES.filter((binary) => !existsSync(binary));
  if (missing.length > 0) throw new Error(`the ipvs lab needs ${missing.join(', ')} (apt-get install busybox-static ipvsadm dropbear-bin)`);
  const files = [...BINARIES, ...BINARIES.flatMap(sharedLibraries)];
  // The kernel package pins the module files, so their names are the key; the closure is walked only to build.
  const hash = createHash('sha256');
  hash.update(`layout ${LAYOUT_VERSION}\nkernel ${kernel.packageName}\nmodules ${GUEST_MODULES.join(',')}\n${JSON.stringify(guestFiles())}\n`);
  for (const file of [...new Set(files)].sort()) hash.update(`${file}\n`).update(readFileSync(file));
  const target = join(CACHE_DIR, `initramfs-${hash.digest('hex').slice(0, 16)}.cpio`);
  return buildOnce(target, (temp) => {
    const root = `${temp}.root`;
    try {
      populateRoot(root, files, moduleClosure(kernel.modulesDir, GUEST_MODULES), kernel);
      writeCpio(root, temp);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
}

function populateRoot(root: string, files: string[], modules: string[], kernel: LabKernel): void {
  for (const dir of ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'lib', 'lib64', 'etc/dropbear', 'root/.ssh', 'proc', 'sys', 'dev', 'tmp', 'run', 'var']) {
    mkdirSync(join(root, dir), { recursive: true });
  }
  // copyFileSync follows symlinks: each library lands under the name the loader asks for.
  for (const file of new Set(files)) {
    mkdirSync(join(root, dirname(file)), { recursive: true });
    copyFileSync(file, join(root, file));
    chmodSync(join(root, file), 0o755);
  }
  const applets = execFileSync('/bin/busybox', ['--list-full'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const applet of applets) {
    const link = join(root, applet);
    if (existsSync(link)) continue;
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync('/bin/busybox', link);
  }
  symlinkSync('/bin/busybox', join(root, 'init'));
  for (const [path, { content, mode }] of Object.entries(guestFiles())) {
    mkdirSync(join(root, dirname(path)), { recursive: true });
    writeFileSync(join(root, path), content, { mode });
  }
  const guestModules = join(root, 'lib', 'modules', kernel.release);
  for (const module of modules) {
    const dest = join(guestModules, relative(kernel.modulesDir, module));
    mkdirSync(dirname(dest), { recursive: true });
    copyFileSync(module, dest);
  }
  for (const name of ['modules.builtin', 'modules.builtin.modinfo', 'modules.order']) {
    const source = join(kernel.modulesDir, name);
    if (existsSync(source)) copyFileSync(source, join(guestModules, name));
  }
  // busybox modprobe reads modules.dep; depmod -b writes it for just the modules we copied.
  execFileSync('depmod', ['-b', root, kernel.release], { stdio: 'pipe' });
}

function writeCpio(root: string, output: string): void {
  execFileSync('sh', ['-c', 'find . -print0 | LC_ALL=C sort -z | cpio --null --create --format=newc --owner=0:0 --quiet > "$1"', 'sh', output], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

/** The shared libraries (and loader) a dynamic binary needs, as ldd resolves them on this machine. */
function sharedLibraries(binary: string): string[] {
  let out: string;
  try {
    out = execFileSync('ldd', [binary], { encoding: 'utf8', stdio: 'pipe' });
  } catch {
    return []; // "not a dynamic executable": busybox-static
  }
  const libraries: string[] = [];
  for (const line of out.split('\n')) {
    const match = /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(line);
    if (match !== null) libraries.push(match[1]!);
  }
  return libraries;
}

/** The .ko files of `names` and everything they depend on, read from each module's `depends` field. */
function moduleClosure(modulesDir: string, names: readonly string[]): string[] {
  const index = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ko')) index.set(normalise(entry.name.slice(0, -3)), path);
    }
  };
  walk(join(modulesDir, 'kernel'));
  const found = new Map<string, string>();
  const queue = names.map(normalise);
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (found.has(name)) continue;
    const path = index.get(name);
    if (path === undefined) throw new Error(`kernel module ${name} is not in ${modulesDir} (built in, or renamed?)`);
    found.set(name, realpathSync(path));
    const depends = execFileSync('modinfo', ['-F', 'depends', path], { encoding: 'utf8' }).trim();
    queue.push(...depends.split(',').filter(Boolean).map(normalise));
  }
  return [...found.values()].sort();
}

function normalise(module: string): string {
  return module.replace(/-/g, '_');
}
