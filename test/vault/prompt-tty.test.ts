import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/paths.js';
import { tempDir } from '../helpers/cli.js';

const SCRIPT = '/usr/bin/script';
const haveScript = existsSync(SCRIPT);
if (!haveScript) console.warn(`SKIPPED: the terminal prompt test needs ${SCRIPT} (util-linux) for a real pty`);

/** Transpiles the prompt and what it imports to plain ESM, so a child process under a pty can run the real code. */
async function transpile(out: string): Promise<void> {
  for (const file of ['src/errors.ts', 'src/vault/prompt.ts']) {
    const { outputText } = ts.transpileModule(await readFile(join(packageRoot, file), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    });
    await mkdir(join(out, file, '..'), { recursive: true });
    await writeFile(join(out, file.replace(/\.ts$/, '.js')), outputText);
  }
}

/** Runs `node driver` on a pty (script(1)); types `answer` only once the prompt is shown. Resolves with all the pty showed. */
function onPty(driver: string, answer: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(SCRIPT, ['-qec', `${process.execPath} ${driver}`, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let shown = '';
    let typed = false;
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`pty prompt timed out; shown: ${shown}`));
    }, 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      shown += chunk.toString();
      if (!typed && shown.includes('Vault password: ')) {
        typed = true;
        child.stdin.write(answer);
      }
    });
    child.on('close', () => {
      clearTimeout(timer);
      resolve(shown);
    });
  });
}

describe.skipIf(!haveScript)('--ask-vault-pass on a real terminal', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ path: dir, cleanup } = await tempDir('rackplay-vault-pty-'));
    await transpile(dir);
    await writeFile(
      join(dir, 'driver.mjs'),
      `import { terminalPrompter } from './src/vault/prompt.js';\n` +
        `const answer = await terminalPrompter()('Vault password: ');\n` +
        `process.stdout.write('answer-length=' + answer.length + ' matches=' + (answer === 'pty-s3cret') + '\\n');\n` +
        `process.stdin.destroy();\n`,
    );
  });
  afterAll(async () => cleanup());

  it('reads the password without echoing it, backspace included', async () => {
    // "pty-s3cretX" then a backspace erases the X.
    const shown = await onPty(join(dir, 'driver.mjs'), 'pty-s3cretX\u007f\r');
    expect(shown).toContain('Vault password: ');
    expect(shown).toContain('answer-length=10 matches=true');
    expect(shown).not.toContain('s3cret');
  });
});
