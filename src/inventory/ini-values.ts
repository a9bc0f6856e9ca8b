import { parse } from 'yaml';
import { unquote } from './ini-tokens.js';

/**
 * The value of an INI `key=value`. Ansible runs ast.literal_eval on it; rackplay follows the same
 * spirit with YAML 1.2 core literals: integers, floats, true/false, null/None, and [..] / {..}
 * flow collections become native values; anything quoted stays a string. A number with a leading
 * zero (`mode=0644`) stays a string, as it does in Ansible, because it is nearly always a mode or an id.
 */
export function parseIniValue(raw: string): unknown {
  // A collection keeps its own quotes (`map={"a":1}`): they are YAML's, not the shell's.
  if (/^\[.*\]$|^\{.*\}$/s.test(raw)) return parseFlowCollection(raw);
  if (isWhollyQuoted(raw)) return unquote(raw);
  return parseLiteral(unquote(raw));
}

function isWhollyQuoted(raw: string): boolean {
  return /^"(?:[^"\\]|\\.)*"$/s.test(raw) || /^'[^']*'$/s.test(raw);
}

const INTEGER = /^[-+]?(?:0|[1-9]\d*)$/;
const FLOAT = /^[-+]?(?:(?:0|[1-9]\d*)(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

function parseLiteral(text: string): unknown {
  if (/^(?:true|True|TRUE)$/.test(text)) return true;
  if (/^(?:false|False|FALSE)$/.test(text)) return false;
  if (/^(?:null|Null|NULL|None|~)$/.test(text)) return null;
  if (INTEGER.test(text)) return Number.isSafeInteger(Number(text)) ? Number(text) : text;
  if (/^0x[0-9a-fA-F]+$/.test(text) || /^0o[0-7]+$/.test(text)) return Number(text);
  if (FLOAT.test(text)) return Number(text);
  return text;
}

function parseFlowCollection(text: string): unknown {
  try {
    const value: unknown = parse(text, { version: '1.2', schema: 'core', uniqueKeys: true });
    return value !== null && typeof value === 'object' ? value : text;
  } catch {
    return text;
  }
}
