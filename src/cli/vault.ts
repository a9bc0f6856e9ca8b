import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { RackplayError } from '../errors.js';
import { EXIT } from '../run/engine.js';
import { createFile, decryptFile, editFile, encryptFile, readInput, rekeyFile, vaultYamlBlock } from '../vault/file-actions.js';
import { writeFileAtomic } from '../vault/atomic-write.js';
import { isVaultText } from '../vault/envelope.js';
import { VaultKeyring } from '../vault/keyring.js';
import { identitiesFrom, parseVaultId, readSecrets } from '../vault/password-sources.js';
import type { VaultIdentity } from '../vault/password-sources.js';
import { terminalPrompter } from '../vault/prompt.js';
import type { PasswordPrompter } from '../vault/prompt.js';
import { UsageError } from './args.js';
import type { CliStreams } from './main.js';
import { VAULT_HELP } from './vault-help.js';

/** What a vault command reads besides its files: stdin, the password prompt and the editor. */
export interface VaultIo {
  readonly stdin: NodeJS.ReadableStream;
  readonly prompt: PasswordPrompter;
  readonly editor?: string;
}

const OPTIONS = {
  'vault-id': { type: 'string', multiple: true },
  'vault-password-file': { type: 'string', multiple: true },
  'ask-vault-pass': { type: 'boolean', short: 'J' },
  'encrypt-vault-id': { type: 'string' },
  'new-vault-id': { type: 'string' },
  'new-vault-password-file': { type: 'string' },
  output: { type: 'string' },
  name: { type: 'string', short: 'n', multiple: true },
  'stdin-name': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parse>['values'];

const ACTIONS = new Set(['encrypt', 'decrypt', 'view', 'create', 'edit', 'rekey', 'encrypt_string']);
// Encrypting with a password typed once is how secrets get lost: the prompt asks twice then.
const ENCRYPTING = new Set(['encrypt', 'create', 'encrypt_string']);

/** `rackplay vault ACTION [options] [FILE...]`: ansible-vault's actions, on the same file format. */
export async function vaultCommand(argv: readonly string[], streams: CliStreams, io: VaultIo = { stdin: process.stdin, prompt: terminalPrompter() }): Promise<number> {
  const [action, ...rest] = argv;
  if (action === undefined || action === '-h' || action === '--help' || action === 'help') {
    streams.stdout.write(`${VAULT_HELP}\n`);
    return action === undefined ? EXIT.badOptions : EXIT.ok;
  }
  try {
    if (!ACTIONS.has(action)) throw new UsageError(`unknown vault action '${action}'`);
    const { values, positionals } = parse(rest);
    if (values.help === true) {
      streams.stdout.write(`${VAULT_HELP}\n`);
      return EXIT.ok;
    }
    const keyring = await keyringFor(values, io.prompt, ENCRYPTING.has(action));
    await perform(action, keyring, values, positionals, streams, io);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) {
      streams.stderr.write(`rackplay vault: ${error.message}\n(see rackplay vault --help)\n`);
      return EXIT.badOptions;
    }
    if (error instanceof RackplayError) {
      streams.stderr.write(`rackplay vault: ${error.code} ${error.message}\n`);
      return EXIT.error;
    }
    // A file system refusal (no such folder for --output, permission denied) is the user's to fix, not a crash.
    if (typeof (error as NodeJS.ErrnoException).code === 'string' && typeof (error as NodeJS.ErrnoException).syscall === 'string') {
      streams.stderr.write(`rackplay vault: ${(error as Error).message}\n`);
      return EXIT.error;
    }
    throw error;
  }
}

function parse(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** As ansible-vault: without --vault-id or a password file, it asks. */
async function keyringFor(values: Values, prompt: PasswordPrompter, confirm: boolean): Promise<VaultKeyring> {
  const identities = identitiesFrom({
    vaultIds: values['vault-id'] ?? [],
    passwordFiles: values['vault-password-file'] ?? [],
    askVaultPass: values['ask-vault-pass'] ?? false,
    envPasswordFile: process.env.RACKPLAY_VAULT_PASSWORD_FILE,
  });
  const asked: VaultIdentity[] = identities.length > 0 ? identities : [{ vaultId: 'default', source: 'prompt' }];
  return new VaultKeyring(await readSecrets(asked, prompt, { confirm }));
}

async function perform(action: string, keyring: VaultKeyring, values: Values, files: readonly string[], streams: CliStreams, io: VaultIo): Promise<void> {
  const encryptId = values['encrypt-vault-id'];
  switch (action) {
    case 'encrypt':
      return encryptAction(keyring, values, files, streams, io);
    case 'decrypt':
      return decryptAction(keyring, values, files, streams, io);
    case 'view':
      for (const file of needFiles(files, action)) streams.stdout.write((await decryptFile(keyring, file)).plaintext);
      return;
    case 'create':
      await createFile(keyring, oneFile(files, action), encryptId, io.editor);
      return;
    case 'edit':
      await editFile(keyring, oneFile(files, action), encryptId, io.editor);
      return;
    case 'rekey':
      return rekeyAction(keyring, values, needFiles(files, action), streams, io);
    default:
      return encryptStringAction(keyring, values, files, streams, io);
  }
}

async function encryptAction(keyring: VaultKeyring, values: Values, files: readonly string[], streams: CliStreams, io: VaultIo): Promise<void> {
  const output = values.output;
  if (files.length === 0 || (files.length === 1 && files[0] === '-')) {
    const plaintext = await readAll(io.stdin);
    if (isVaultText(plaintext.toString('latin1'))) throw new RackplayError('E_VAULT_FORMAT', 'stdin is already vault-encrypted');
    await writeOut(keyring.encrypt(plaintext, values['encrypt-vault-id']), output, streams);
    return;
  }
  if (output !== undefined && files.length > 1) throw new UsageError('--output takes one input file');
  for (const file of files) {
    if (output === '-') {
      const plaintext = await readInput(file);
      if (isVaultText(plaintext.toString('latin1'))) throw new RackplayError('E_VAULT_FORMAT', `${file} is already vault-encrypted`);
      streams.stdout.write(keyring.encrypt(plaintext, values['encrypt-vault-id']));
    } else await encryptFile(keyring, file, output ?? file, values['encrypt-vault-id']);
  }
  streams.stderr.write('Encryption successful\n');
}

async function decryptAction(keyring: VaultKeyring, values: Values, files: readonly string[], streams: CliStreams, io: VaultIo): Promise<void> {
  const output = values.output;
  if (files.length === 0 || (files.length === 1 && files[0] === '-')) {
    const text = (await readAll(io.stdin)).toString('utf8');
    if (!isVaultText(text)) throw new RackplayError('E_VAULT_FORMAT', 'stdin is not vault-encrypted (it does not start with $ANSIBLE_VAULT)');
    await writeOut(keyring.decrypt(text, 'stdin').plaintext, output ?? '-', streams);
    return;
  }
  if (output !== undefined && files.length > 1) throw new UsageError('--output takes one input file');
  for (const file of files) await writeOut((await decryptFile(keyring, file)).plaintext, output ?? file, streams);
  if (output !== '-') streams.stderr.write('Decryption successful\n');
}

/** The new password: --new-vault-id or --new-vault-password-file, else asked twice. */
async function rekeyAction(keyring: VaultKeyring, values: Values, files: readonly string[], streams: CliStreams, io: VaultIo): Promise<void> {
  const newId = values['new-vault-id'];
  const newFile = values['new-vault-password-file'];
  if (newId !== undefined && newFile !== undefined) throw new UsageError('give --new-vault-id or --new-vault-password-file, not both');
  const identity: VaultIdentity = newId !== undefined ? parseVaultId(newId) : { vaultId: 'default', source: newFile ?? 'prompt' };
  const newKeyring = new VaultKeyring(await readSecrets([identity], io.prompt, { confirm: true, promptLabel: 'New ' }));
  for (const file of files) await rekeyFile(keyring, newKeyring, file, identity.vaultId);
  streams.stderr.write('Rekey successful\n');
}

/** Strings from the command line (each paired with a --name in order), or one from stdin. */
async function encryptStringAction(keyring: VaultKeyring, values: Values, strings: readonly string[], streams: CliStreams, io: VaultIo): Promise<void> {
  const names = values.name ?? [];
  if (strings.length > 0 && values['stdin-name'] !== undefined) throw new UsageError('--stdin-name reads the value from stdin; give no string arguments with it');
  const fromStdin = strings.length === 0 || values['stdin-name'] !== undefined;
  if (fromStdin && (io.stdin as { isTTY?: boolean }).isTTY === true) streams.stderr.write('Reading the value to encrypt from stdin (end it with Ctrl-D twice, or Enter then Ctrl-D)\n');
  const entries: { name?: string; value: string }[] = fromStdin
    ? [{ name: values['stdin-name'] ?? names[0], value: (await readAll(io.stdin)).toString('utf8') }]
    : strings.map((value, index) => ({ name: names[index], value }));
  if (names.length > entries.length) throw new UsageError(`${names.length} --name given for ${entries.length} string${entries.length === 1 ? '' : 's'}`);
  const blocks = entries.map((entry) => vaultYamlBlock(keyring.encrypt(Buffer.from(entry.value, 'utf8'), values['encrypt-vault-id']), entry.name));
  streams.stdout.write(`${blocks.join('\n')}\n`);
  streams.stderr.write('Encryption successful\n');
}

async function writeOut(content: string | Buffer, output: string | undefined, streams: CliStreams): Promise<void> {
  if (output === undefined || output === '-') streams.stdout.write(content);
  else await writeFileAtomic(resolve(output), content);
}

function needFiles(files: readonly string[], action: string): readonly string[] {
  if (files.length === 0) throw new UsageError(`vault ${action} needs at least one FILE`);
  return files;
}

function oneFile(files: readonly string[], action: string): string {
  if (files.length !== 1) throw new UsageError(`vault ${action} takes exactly one FILE`);
  return files[0]!;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}
