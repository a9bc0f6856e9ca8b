import type { ScalarTag, Tags } from 'yaml';

/**
 * The scalars of YAML 1.1 as PyYAML (and so Ansible) resolves them, which is not quite the yaml library's
 * own 1.1 schema: `yes`/`no`/`on`/`off` are booleans but `y`/`n` stay strings; `017` is octal and `09` a
 * string; a float needs a dot and a signed exponent (`1e3` stays a string); `12:30` is base 60; and a
 * timestamp becomes the text Python's isoformat() prints for it (`2001-12-14`, `2001-12-14T21:59:43.100000-05:00`),
 * which is what Ansible shows of the date or datetime it builds.
 * Patterns from PyYAML's resolver.py and constructor.py.
 */
const BOOL_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const BOOL_FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;
const NULL = /^(?:~|null|Null|NULL|)$/;
const INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const FLOAT = /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const TIMESTAMP =
  /^(?:([0-9]{4})-([0-9]{2})-([0-9]{2})|([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9]{1,2})(?::([0-9]{2}))?))?)$/;

function sexagesimal(text: string): number {
  return text.split(':').reduce((total, part) => total * 60 + Number(part), 0);
}

function resolveInt(source: string): number {
  const text = source.replaceAll('_', '');
  const sign = text.startsWith('-') ? -1 : 1;
  const digits = text.replace(/^[-+]/, '');
  if (digits.startsWith('0b')) return sign * parseInt(digits.slice(2), 2);
  if (digits.startsWith('0x')) return sign * parseInt(digits.slice(2), 16);
  if (digits.includes(':')) return sign * sexagesimal(digits);
  if (digits.length > 1 && digits.startsWith('0')) return sign * parseInt(digits, 8);
  return sign * Number(digits);
}

function resolveFloat(source: string): number {
  const text = source.replaceAll('_', '').toLowerCase();
  if (text.endsWith('.inf')) return text.startsWith('-') ? -Infinity : Infinity;
  if (text === '.nan') return Number.NaN;
  if (!text.includes(':')) return Number(text);
  const sign = text.startsWith('-') ? -1 : 1;
  return sign * sexagesimal(text.replace(/^[-+]/, ''));
}

const pad = (value: string | number, width = 2): string => String(value).padStart(width, '0');

/** Python's date/datetime isoformat() of what PyYAML's construct_yaml_timestamp builds. */
function resolveTimestamp(text: string): string {
  const match = TIMESTAMP.exec(text)!;
  if (match[1] !== undefined) return `${match[1]}-${match[2]}-${match[3]}`;
  const [, , , , year, month, day, hour, minute, second, fraction, tz, sign, tzHour, tzMinute] = match;
  let out = `${year}-${pad(month!)}-${pad(day!)}T${pad(hour!)}:${minute}:${second}`;
  const micro = (fraction ?? '').slice(0, 6).padEnd(6, '0');
  if (fraction !== undefined && Number(micro) !== 0) out += `.${micro}`;
  if (sign !== undefined) {
    const minutes = Number(tzHour) * 60 + Number(tzMinute ?? 0);
    const signed = sign === '-' && minutes !== 0 ? '-' : '+';
    out += `${signed}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
  } else if (tz === 'Z') out += '+00:00';
  return out;
}

const scalar = (tag: string, test: RegExp, resolve: (text: string) => unknown): ScalarTag => ({ tag: `tag:yaml.org,2002:${tag}`, default: true, test, resolve });

const PYYAML_SCALARS: ScalarTag[] = [
  scalar('null', NULL, () => null),
  scalar('bool', BOOL_TRUE, () => true),
  scalar('bool', BOOL_FALSE, () => false),
  scalar('int', INT, resolveInt),
  scalar('float', FLOAT, resolveFloat),
  scalar('timestamp', TIMESTAMP, resolveTimestamp),
];

const REPLACED = new Set(['null', 'bool', 'int', 'float', 'timestamp'].map((name) => `tag:yaml.org,2002:${name}`));

/** For parseDocument's customTags with version '1.1': the library's 1.1 tags, its scalars swapped for PyYAML's. */
export function pyyamlTags(tags: Tags): Tags {
  return [...tags.filter((tag) => !REPLACED.has((tag as { tag: string }).tag)), ...PYYAML_SCALARS];
}
