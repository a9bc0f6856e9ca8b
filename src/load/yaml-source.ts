import { isMap, isPair, isScalar, LineCounter, parseDocument, visit } from 'yaml';
import type { Document, Node } from 'yaml';
import { RackplayError } from '../errors.js';
import type { ErrorCode, SourcePosition } from '../errors.js';
import { pyyamlTags } from './pyyaml-schema.js';
import { readSourceText } from './source-text.js';
import { MAX_YAML_DEPTH, structureProblems } from './yaml-structure.js';
import { openVaultedText } from '../vault/vaulted-text.js';
import { decryptJsonVaults } from '../vault/json-vault.js';
import { vaultTag } from '../vault/yaml-tag.js';

/** A parsed YAML file that keeps its AST so any value can be traced back to file:line:col. */
export interface YamlSource {
  readonly file: string;
  readonly doc: Document;
  readonly lineCounter: LineCounter;
  readonly data: unknown;
  /** Decrypted from a whole vault file: a vars file's values are then secrets (src/vault/). */
  readonly vaulted?: boolean;
}

export type YamlPath = readonly (string | number)[];

/**
 * Parses YAML text (1.1, as Ansible reads it); every syntax error and duplicate key becomes a positioned problem.
 * A whole vault file is decrypted first, and `!vault` values as they are met (src/vault/).
 */
export function parseYamlSource(file: string, fileText: string): { source: YamlSource; problems: RackplayError[] } {
  const { text, vaulted, problem: vaultProblem } = openVaultedText(file, fileText);
  const lineCounter = new LineCounter();
  const vaultFailures: RackplayError[] = [];
  // uniqueKeys is off because structureProblems finds duplicates in linear time.
  // YAML 1.1 as PyYAML reads it, as Ansible does: `become: yes`, `gather_facts: no`, `mode: 0644` (octal 420).
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false, version: '1.1', merge: true, customTags: (tags) => [...pyyamlTags(tags), vaultTag(file, vaultFailures)] });
  const positioned = (code: ErrorCode, message: string, offset: number): RackplayError => {
    const { line, col } = lineCounter.linePos(offset);
    return new RackplayError(code, message, { file, line, col });
  };
  const quiet = vaulted === true;
  const problems = doc.errors.map((error) => {
    const vaultFailure = error.code === 'TAG_RESOLVE_FAILED' ? vaultFailures.shift() : undefined;
    if (vaultFailure !== undefined) return positioned(vaultFailure.code, vaultFailure.message, error.pos[0]);
    if (/call stack/i.test(error.message)) return positioned('E_YAML_DEPTH', `nested more than ${MAX_YAML_DEPTH} levels deep`, error.pos[0]);
    // yaml quotes the offending text in its messages; decrypted vault text must never be printed.
    return positioned('E_YAML_SYNTAX', quiet ? `YAML: ${error.code} in the decrypted vault text` : `YAML: ${firstLine(error.message)}`, error.pos[0]);
  });
  for (const warning of doc.warnings) {
    // An unknown tag would otherwise quietly become null or a string: `password: !Sup3rSecret` is a typo to report.
    if (warning.code === 'TAG_RESOLVE_FAILED') problems.push(positioned('E_YAML_TAG', quiet ? 'unknown YAML tag' : `unknown YAML tag ${tagName(warning.message)} (rackplay knows !vault and YAML's own !!str, !!int, …)`, warning.pos[0]));
  }
  if (vaultProblem !== undefined) problems.unshift(vaultProblem);
  if (problems.length === 0) problems.push(...structureProblems(doc, file, lineCounter, quiet));
  let data = problems.length === 0 ? toData(doc, positioned, problems) : undefined;
  if (data !== undefined && text.includes('__ansible_vault')) data = withJsonVaultsOpened(data, file, problems);
  return { source: { file, doc, lineCounter, data, vaulted }, problems };
}

/** The most nodes aliases may expand to: a billion-laughs file stops here with a position, not an exhausted heap. */
const MAX_ALIAS_COUNT = 1000;

function toData(doc: Document, positioned: (code: ErrorCode, message: string, offset: number) => RackplayError, problems: RackplayError[]): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (!(error instanceof ReferenceError || error instanceof RangeError)) throw error;
    problems.push(positioned('E_YAML_ALIAS', `aliases expand to too many nodes (more than ${MAX_ALIAS_COUNT}): an alias bomb?`, firstAliasOffset(doc)));
    return undefined;
  }
}

function withJsonVaultsOpened(data: unknown, file: string, problems: RackplayError[]): unknown {
  try {
    return decryptJsonVaults(data, file);
  } catch (error) {
    if (!(error instanceof RackplayError)) throw error;
    problems.push(new RackplayError(error.code, error.message, { file, line: 1, col: 1 }));
    return undefined;
  }
}

function firstAliasOffset(doc: Document): number {
  let offset: number | undefined;
  visit(doc, { Alias: (_key, node) => { offset = node.range?.[0]; return visit.BREAK; } });
  return offset ?? 0;
}

function tagName(message: string): string {
  return /Unresolved tag: (\S+)/.exec(message)?.[1] ?? '';
}

export async function loadYamlSource(file: string, from?: SourcePosition): Promise<{ source?: YamlSource; problems: RackplayError[] }> {
  const { text, problem } = await readSourceText(file, from);
  if (text === undefined) return { problems: problem === undefined ? [] : [problem] };
  return parseYamlSource(file, text);
}

/** The position of the value at `path` (or of its key with `key: true`); falls back to the nearest ancestor. */
export function locate(source: YamlSource, path: YamlPath, options: { key?: boolean } = {}): SourcePosition {
  const offset = nodeOffset(source.doc, path, options.key === true) ?? 0;
  const { line, col } = source.lineCounter.linePos(offset);
  return { file: source.file, line, col };
}

function nodeOffset(doc: Document, path: YamlPath, wantKey: boolean): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const prefix = path.slice(0, depth);
    if (wantKey && depth === path.length && depth > 0) {
      const parent = depth === 1 ? doc.contents : doc.getIn(prefix.slice(0, -1), true);
      const keyOffset = keyNodeOffset(parent, prefix[prefix.length - 1]!);
      if (keyOffset !== undefined) return keyOffset;
    }
    const node = (depth === 0 ? doc.contents : doc.getIn(prefix, true)) as Node | undefined;
    if (node && typeof node === 'object' && 'range' in node && node.range) return node.range[0];
  }
  return undefined;
}

function keyNodeOffset(parent: unknown, key: string | number): number | undefined {
  if (!isMap(parent)) return undefined;
  for (const pair of parent.items) {
    if (isPair(pair) && isScalar(pair.key) && pair.key.value === key) return pair.key.range?.[0];
  }
  return undefined;
}

/** yaml quotes the offending token in full: a line of random bytes would make a kilobyte of message. */
const MAX_YAML_MESSAGE_CHARS = 160;

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? text;
  return line.length <= MAX_YAML_MESSAGE_CHARS ? line : `${line.slice(0, MAX_YAML_MESSAGE_CHARS)}…`;
}
