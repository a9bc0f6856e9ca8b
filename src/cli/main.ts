import { openSshForHost } from '../connection/open-ssh.js';
import { RackplayError } from '../errors.js';
import { EventBus } from '../events.js';
import { selectHosts } from '../inventory/index.js';
import { loadRun } from '../load/load-run.js';
import type { LoadedRun } from '../load/load-run.js';
import { attachRenderer, chooseOutputMode } from '../report/index.js';
import { EXIT, runPlaybooks } from '../run/engine.js';
import { redact } from '../run/secrets.js';
import { openVaultSession } from '../vault/open-session.js';
import { withVaultSession } from '../vault/session.js';
import { effectiveNodes, playInheritance } from '../run/effective.js';
import type { EffectiveNode } from '../run/effective.js';
import { MAIN_HELP, parseRunArgs, RUN_HELP, UsageError, VALIDATE_HELP } from './args.js';
import type { RunArgs } from './args.js';
import { docCommand } from './doc.js';
import { parseExtraVars } from './extra-vars.js';
import { vaultCommand } from './vault.js';
import { inventoryCommand } from './inventory.js';

type Output = Pick<NodeJS.WriteStream, 'write'>;

export interface CliStreams {
  readonly stdout: Output & { isTTY?: boolean };
  readonly stderr: Output;
}

/** The CLI; returns the exit code instead of exiting so tests can drive it in-process. */
export async function main(argv: readonly string[], streams: CliStreams = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await runCommand(rest, streams, false);
      case 'validate':
        return await runCommand(rest, streams, true);
      case 'doc':
        return await docCommand(rest, streams);
      case 'vault':
        return await vaultCommand(rest, streams);
      case 'inventory':
        return await inventoryCommand(rest, streams);
      case 'connection-keeper': {
        // Started by a run with rackplay_ssh_persist; not meant to be typed (README: Connections that outlive a run).
        const { runKeeper } = await import('../connection/keeper/server.js');
        const { keeperDir } = await import('../connection/keeper/protocol.js');
        await runKeeper(keeperDir());
        return EXIT.ok;
      }
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        streams.stdout.write(`${MAIN_HELP}\n`);
        return command === undefined ? EXIT.badOptions : EXIT.ok;
      default:
        streams.stderr.write(`rackplay: unknown command '${command}'\n\n${MAIN_HELP}\n`);
        return EXIT.badOptions;
    }
  } catch (error) {
    if (error instanceof UsageError) {
      streams.stderr.write(`rackplay: ${error.message}\n(see rackplay ${command} --help)\n`);
      return EXIT.badOptions;
    }
    streams.stderr.write(`rackplay: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT.unexpected;
  }
}

async function runCommand(argv: readonly string[], streams: CliStreams, validateOnly: boolean): Promise<number> {
  const args = parseRunArgs(argv);
  if (args.help) {
    streams.stdout.write(`${validateOnly ? VALIDATE_HELP : RUN_HELP}\n`);
    return EXIT.ok;
  }
  const vault = await openVaultSession(args.vault);
  if (vault instanceof RackplayError) {
    streams.stderr.write(`rackplay: ${vault.code} ${vault.message}\n`);
    return EXIT.badOptions;
  }
  const extra = await withVaultSession(vault, () => parseExtraVars(args.extraVars));
  if (extra.problems.some((problem) => problem.code === 'E_BAD_OPTION')) {
    for (const problem of extra.problems) streams.stderr.write(`rackplay: ${problem.message}\n`);
    return EXIT.badOptions;
  }
  const loaded = await withVaultSession(vault, () => loadRun(args.playbooks, args.inventory, extra.vars, { rolesPath: args.rolesPath, modulePath: args.modulePath }));
  const problems = [...extra.problems, ...loaded.problems];
  if (problems.length > 0) return reportProblems(problems, streams, vault.secrets);
  if (validateOnly || args.syntaxCheck) {
    for (const playbook of loaded.playbooks) streams.stdout.write(`playbook: ${playbook.file}: valid\n`);
    return EXIT.ok;
  }
  if (args.listHosts || args.listTasks) {
    streams.stdout.write(listing(loaded, args));
    return EXIT.ok;
  }
  return execute(loaded, args, extra.vars, streams, vault.secrets);
}

/** Problems printed before the rest are only counted: 100 KB of random bytes would otherwise print 200 KB. */
const MAX_PRINTED_PROBLEMS = 50;

function reportProblems(problems: readonly RackplayError[], streams: CliStreams, secrets: ReadonlySet<string>): number {
  for (const problem of problems.slice(0, MAX_PRINTED_PROBLEMS)) streams.stderr.write(`${redact(problem.format(), secrets)}\n`);
  if (problems.length > MAX_PRINTED_PROBLEMS) streams.stderr.write(`… and ${problems.length - MAX_PRINTED_PROBLEMS} more problems not shown.\n`);
  streams.stderr.write(`${problems.length} problem${problems.length === 1 ? '' : 's'} found; no host was contacted.\n`);
  return EXIT.invalid;
}

async function execute(loaded: LoadedRun, args: RunArgs, extraVars: Record<string, unknown>, streams: CliStreams, secrets: ReadonlySet<string>): Promise<number> {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const options = { check: args.check, diff: args.diff, forks: args.forks, limit: args.limit, tags: args.tags, skipTags: args.skipTags, extraVars, signal: controller.signal, secrets, factCache: args.factCache };
    const mode = chooseOutputMode(args.output, streams.stdout.isTTY === true);
    const pass = async () => {
      const bus = new EventBus();
      const renderer = attachRenderer(bus, mode, { verbose: args.verbose > 0, diff: args.diff, out: streams.stdout as NodeJS.WritableStream });
      const outcome = await runPlaybooks(loaded.playbooks, loaded.inventory, options, bus, openSshForHost);
      await renderer.done();
      return outcome;
    };
    const first = await pass();
    if (!args.verifyIdempotent || first.exitCode !== EXIT.ok) return first.exitCode;
    const second = await pass();
    if (second.exitCode !== EXIT.ok) return second.exitCode;
    if (second.changedTasks.length === 0) {
      streams.stderr.write('idempotence: the second run changed nothing\n');
      return EXIT.ok;
    }
    for (const entry of second.changedTasks) {
      streams.stderr.write(`idempotence: task '${entry.task}' (${entry.source}) changed again on ${entry.hosts.join(', ')}\n`);
    }
    return EXIT.hostFailed;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

function listing(loaded: LoadedRun, args: RunArgs): string {
  const lines: string[] = [];
  for (const playbook of loaded.playbooks) {
    lines.push(`playbook: ${playbook.file}`);
    for (const play of playbook.plays) {
      let hosts = selectHosts(loaded.inventory, play.hosts);
      if (args.limit !== undefined) {
        const allowed = new Set(selectHosts(loaded.inventory, args.limit));
        hosts = hosts.filter((host) => allowed.has(host));
      }
      lines.push(`  play: ${play.name}`);
      if (args.listHosts) {
        lines.push(`    hosts (${hosts.length}):`, ...hosts.map((host) => `      ${host}`));
      }
      if (args.listTasks) {
        lines.push('    tasks:');
        const nodes = effectiveNodes(play.tasks, playInheritance(play), { tags: args.tags, skipTags: args.skipTags });
        lines.push(...taskLines(nodes, '      '));
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

function taskLines(nodes: readonly EffectiveNode[], indent: string): string[] {
  return nodes.flatMap((node) => {
    if (node.kind === 'task') {
      const tags = [...node.task.tags];
      return [`${indent}${node.task.ref.name}${tags.length > 0 ? `  TAGS: [${tags.join(', ')}]` : ''}`];
    }
    return [...taskLines(node.block, indent), ...taskLines(node.rescue, indent), ...taskLines(node.always, indent)];
  });
}
