import { readFile } from 'node:fs/promises';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node } from 'yaml';
import { RackplayError } from '../errors.js';
import type { SourcePosition } from '../errors.js';
import { openVaultedText } from '../vault/vaulted-text.js';
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
 * Parses YAML 1.2 text; every syntax error and duplicate key becomes a positioned problem.
 * A whole vault file is decrypted first, and `!vault` values as they are met (src/vault/).
 */
export function parseYamlSource(file: string, fileText: string): { source: YamlSource; problems: RackplayError[] } {
  const { text, vaulted, problem: vaultProblem } = openVaultedText(file, fileText);
  const lineCounter = new LineCounter();
  const vaultFailures: RackplayError[] = [];
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, version: '1.2', merge: true, customTags: [vaultTag(file, vaultFailures)] });
  const problems = doc.errors.map((error) => {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    const vaultFailure = error.code === 'TAG_RESOLVE_FAILED' ? vaultFailures.shift() : undefined;
    if (vaultFailure !== undefined) return new RackplayError(vaultFailure.code, vaultFailure.message, { file, line, col });
    const code = error.code === 'DUPLICATE_KEY' ? 'E_DUPLICATE_KEY' : 'E_YAML_SYNTAX';
    const message = code === 'E_DUPLICATE_KEY' ? duplicateKeyMessage(doc, error.pos[0]) : `YAML: ${firstLine(error.message)}`;
    return new RackplayError(code, message, { file, line, col });
  });
  if (vaultProblem !== undefined) problems.unshift(vaultProblem);
  const data = problems.length === 0 ? doc.toJS({ maxAliasCount: 1000 }) : undefined;
  return { source: { file, doc, lineCounter, data, vaulted }, problems };
}

export async function loadYamlSource(file: string, from?: SourcePosition): Promise<{ source?: YamlSource; problems: RackplayError[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error);
    return { problems: [new RackplayError('E_FILE_NOT_FOUND', `${reason}: ${file}`, from ?? { file, line: 1, col: 1 })] };
  }
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

function duplicateKeyMessage(doc: Document, offset: number): string {
  const key = findKeyAt(doc.contents, offset);
  return key === undefined ? 'duplicate key' : `duplicate key '${key}'`;
}

function findKeyAt(node: unknown, offset: number): string | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (isScalar(pair.key) && pair.key.range && pair.key.range[0] <= offset && offset < pair.key.range[1]) return String(pair.key.value);
      const inner = findKeyAt(pair.value, offset);
      if (inner !== undefined) return inner;
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      const inner = findKeyAt(item, offset);
      if (inner !== undefined) return inner;
    }
  }
  return undefined;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
