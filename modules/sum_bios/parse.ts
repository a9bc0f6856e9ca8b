import { childText, childrenNamed, escapeXml, parseXml } from './xml.js';
import type { XmlElement } from './xml.js';

/** SUM 2.x writes XML; SUM 1.x (X9-class boards) writes `[Menu|Submenu]` text files. */
export type BiosFormat = 'xml' | 'text';

export interface BiosOption {
  /** The raw value: "0" in XML, "00" (hex) in the text format. */
  readonly value: string;
  readonly label: string;
}

interface SettingBase {
  /** "Menu|Submenu|Setting". */
  readonly key: string;
  readonly menu: readonly string[];
  readonly name: string;
}

export interface OptionSetting extends SettingBase {
  readonly type: 'Option';
  /** The current option's label. */
  readonly current: string;
  readonly default?: string;
  readonly options: readonly BiosOption[];
  /** Boot order position (the `order` attribute). */
  readonly order?: number;
}

export interface NumericSetting extends SettingBase {
  readonly type: 'Numeric';
  readonly current: number;
  readonly default?: number;
  readonly min?: number;
  readonly max?: number;
  readonly step?: number;
}

export interface StringSetting extends SettingBase {
  readonly type: 'String';
  readonly current: string;
  readonly default?: string;
  readonly minSize?: number;
  readonly maxSize?: number;
}

/** CheckBox, Password and anything else: listed so their names are known, but not changeable here. */
export interface OtherSetting extends SettingBase {
  readonly type: 'Other';
  readonly sumType: string;
  readonly current: string;
  readonly default?: string;
}

export type BiosSetting = OptionSetting | NumericSetting | StringSetting | OtherSetting;

export interface BiosConfig {
  readonly format: BiosFormat;
  readonly settings: readonly BiosSetting[];
  /** From the Main menu's `<Text>` entries, when present. */
  readonly biosVersion?: string;
  readonly biosDate?: string;
}

export class BiosConfigError extends Error {
  readonly code = 'E_SUM_CONFIG';
  constructor(message: string) {
    super(message);
    this.name = 'BiosConfigError';
  }
}

export const settingKey = (menu: readonly string[], name: string): string => [...menu, name].join('|');

/** Chooses the parser by content: SUM writes the format the board supports. */
export function parseBiosConfig(content: string): BiosConfig {
  return /^\s*(\ufeff)?\s*</.test(content) ? parseXmlConfig(content) : parseTextConfig(content);
}

// ---- XML (SUM 2.x) --------------------------------------------------------------------------

export function parseXmlConfig(content: string): BiosConfig {
  const root = parseXml(content);
  if (root.name !== 'BiosCfg') throw new BiosConfigError(`not a SUM BIOS configuration: root element is <${root.name}>, expected <BiosCfg>`);
  const settings: BiosSetting[] = [];
  const texts: Record<string, string> = {};
  const visit = (menu: XmlElement, path: readonly string[]): void => {
    for (const child of menu.children) {
      if (child.name === 'Menu') visit(child, [...path, required(child, 'name')]);
      else if (child.name === 'Setting') settings.push(xmlSetting(child, path));
      else if (child.name === 'Text' && path[0] === 'Main') {
        const name = child.attributes.name ?? '';
        texts[name.toLowerCase()] = child.attributes.value ?? child.text;
      }
    }
  };
  visit(root, []);
  return {
    format: 'xml',
    settings,
    biosVersion: texts['bios version'],
    biosDate: texts['build date'] ?? texts['bios build date'],
  };
}

function required(element: XmlElement, attribute: string): string {
  const value = element.attributes[attribute];
  if (value === undefined) throw new BiosConfigError(`<${element.name}> without a ${attribute} attribute`);
  return value;
}

function numberOf(text: string | undefined, what: string): number | undefined {
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new BiosConfigError(`${what} is not a number: ${text}`);
  return value;
}

function xmlSetting(element: XmlElement, menu: readonly string[]): BiosSetting {
  const name = required(element, 'name');
  const base = { key: settingKey(menu, name), menu, name };
  const info = element.children.find((child) => child.name === 'Information');
  const type = element.attributes.type ?? '';
  switch (type) {
    case 'Option': {
      const available = info?.children.find((child) => child.name === 'AvailableOptions');
      const options = available ? childrenNamed(available, 'Option').map((option) => ({ value: option.attributes.value ?? '', label: option.text })) : [];
      const order = element.attributes.order;
      return {
        ...base,
        type: 'Option',
        current: required(element, 'selectedOption'),
        default: info ? childText(info, 'DefaultOption') : undefined,
        options,
        ...(order === undefined ? {} : { order: numberOf(order, `${base.key} order`) }),
      };
    }
    case 'Numeric': {
      const current = numberOf(required(element, 'numericValue'), `${base.key} numericValue`) as number;
      return {
        ...base,
        type: 'Numeric',
        current,
        default: info ? numberOf(childText(info, 'DefaultValue'), `${base.key} DefaultValue`) : undefined,
        min: info ? numberOf(childText(info, 'MinValue'), `${base.key} MinValue`) : undefined,
        max: info ? numberOf(childText(info, 'MaxValue'), `${base.key} MaxValue`) : undefined,
        step: info ? numberOf(childText(info, 'StepSize'), `${base.key} StepSize`) : undefined,
      };
    }
    case 'String':
      return {
        ...base,
        type: 'String',
        current: element.attributes.stringValue ?? '',
        default: info ? childText(info, 'DefaultString') : undefined,
        minSize: info ? numberOf(childText(info, 'MinSize'), `${base.key} MinSize`) : undefined,
        maxSize: info ? numberOf(childText(info, 'MaxSize'), `${base.key} MaxSize`) : undefined,
      };
    default:
      return { ...base, type: 'Other', sumType: type, current: element.attributes.checkedStatus ?? '' };
  }
}

// ---- text (SUM 1.x) -------------------------------------------------------------------------

const SECTION = /^\[(.+)\]$/;
const LINE = /^([^=]+?)\s*=\s*(.*?)\s*(?:\/\/\s*(.*))?$/;
const OPTION = /(\*?)([0-9A-Fa-f]+)\s*\(([^)]*)\)/g;

/** `[Menu|Submenu]` sections of `Setting=HEX // 00 (Disabled), *01 (Enabled)` lines; `*` marks the default. */
export function parseTextConfig(content: string): BiosConfig {
  const settings: BiosSetting[] = [];
  let menu: string[] | undefined;
  content.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) return;
    const section = SECTION.exec(line);
    if (section?.[1] !== undefined) {
      menu = section[1].split('|').map((part) => part.trim());
      return;
    }
    const match = LINE.exec(line);
    if (!match || match[1] === undefined) throw new BiosConfigError(`line ${index + 1}: not a setting: ${line}`);
    if (menu === undefined) throw new BiosConfigError(`line ${index + 1}: setting outside a [Menu] section`);
    const name = match[1].trim();
    const value = match[2] ?? '';
    const base = { key: settingKey(menu, name), menu, name };
    const list = match[3]?.trim();
    if (list !== undefined && list !== '' && /\(/.test(list)) {
      const options: BiosOption[] = [];
      let defaultLabel: string | undefined;
      for (const option of list.matchAll(OPTION)) {
        const label = (option[3] ?? '').trim();
        options.push({ value: option[2] ?? '', label });
        if (option[1] === '*') defaultLabel = label;
      }
      const current = options.find((option) => sameHex(option.value, value));
      if (!current) throw new BiosConfigError(`line ${index + 1}: ${base.key}=${value} is none of its options`);
      settings.push({ ...base, type: 'Option', current: current.label, default: defaultLabel, options });
    } else if (/^[0-9A-Fa-f]+$/.test(value)) {
      settings.push({ ...base, type: 'Numeric', current: parseInt(value, 16) });
    } else {
      settings.push({ ...base, type: 'String', current: value });
    }
  });
  return { format: 'text', settings };
}

const sameHex = (a: string, b: string): boolean => parseInt(a, 16) === parseInt(b, 16);

// ---- GetBiosInfo ----------------------------------------------------------------------------

export interface BiosInfo {
  readonly version?: string;
  readonly date?: string;
  readonly board?: string;
}

/** `BIOS version.........3.4` style lines of `sum -c GetBiosInfo`; the managed system's block only. */
export function parseBiosInfo(stdout: string): BiosInfo {
  const info: { version?: string; date?: string; board?: string } = {};
  for (const raw of stdout.split(/\r?\n/)) {
    // A second block describes a local image file (GetBiosInfo --file); stop before it.
    if (/^\s*Local BIOS image file/i.test(raw)) break;
    const match = /^\s*([A-Za-z][A-Za-z ]*?)\s*\.{2,}\s*(.*?)\s*$/.exec(raw);
    if (!match?.[1]) continue;
    const label = match[1].toLowerCase();
    const value = match[2] ?? '';
    if (label === 'bios version') info.version ??= value;
    else if (label === 'bios build date') info.date ??= value;
    else if (label === 'board id' || label === 'board model') info.board ??= value;
  }
  return info;
}

// ---- partial files for ChangeBiosCfg ----------------------------------------------------------

/** One setting to write, with its raw value already resolved (option label → label in XML, hex in text). */
export interface SettingWrite {
  readonly setting: BiosSetting;
  readonly value: string | number;
}

/** A partial configuration of only these settings, in the board's own format; SUM accepts it. */
export function renderPartialConfig(format: BiosFormat, writes: readonly SettingWrite[]): string {
  return format === 'xml' ? renderXml(writes) : renderText(writes);
}

interface MenuNode {
  readonly menus: Map<string, MenuNode>;
  readonly settings: SettingWrite[];
}

function renderXml(writes: readonly SettingWrite[]): string {
  const tree: MenuNode = { menus: new Map(), settings: [] };
  for (const write of writes) {
    let node = tree;
    for (const name of write.setting.menu) {
      let next = node.menus.get(name);
      if (!next) node.menus.set(name, (next = { menus: new Map(), settings: [] }));
      node = next;
    }
    node.settings.push(write);
  }
  const lines = ['<?xml version="1.0" encoding="ISO-8859-1" standalone="yes"?>', '<BiosCfg>'];
  const emit = (node: MenuNode, depth: number): void => {
    const indent = '  '.repeat(depth);
    for (const write of node.settings) lines.push(`${indent}${xmlSettingLine(write)}`);
    for (const [name, child] of node.menus) {
      lines.push(`${indent}<Menu name="${escapeXml(name)}">`);
      emit(child, depth + 1);
      lines.push(`${indent}</Menu>`);
    }
  };
  emit(tree, 1);
  lines.push('</BiosCfg>', '');
  return lines.join('\n');
}

function xmlSettingLine({ setting, value }: SettingWrite): string {
  const name = `name="${escapeXml(setting.name)}"`;
  const text = escapeXml(String(value));
  switch (setting.type) {
    case 'Option':
      return `<Setting ${name}${setting.order === undefined ? '' : ` order="${setting.order}"`} selectedOption="${text}" type="Option"/>`;
    case 'Numeric':
      return `<Setting ${name} numericValue="${text}" type="Numeric"/>`;
    case 'String':
      return `<Setting ${name} stringValue="${text}" type="String"/>`;
    case 'Other':
      throw new BiosConfigError(`${setting.key}: ${setting.sumType} settings cannot be written`);
  }
}

function renderText(writes: readonly SettingWrite[]): string {
  const sections = new Map<string, string[]>();
  for (const { setting, value } of writes) {
    const section = setting.menu.join('|');
    const lines = sections.get(section) ?? [];
    let raw: string;
    if (setting.type === 'Option') {
      const option = setting.options.find((candidate) => candidate.label === value);
      if (!option) throw new BiosConfigError(`${setting.key}: no option ${String(value)}`);
      raw = option.value;
    } else if (setting.type === 'Numeric') raw = Number(value).toString(16).toUpperCase().padStart(2, '0');
    else raw = String(value);
    lines.push(`${setting.name}=${raw}`);
    sections.set(section, lines);
  }
  return [...sections].map(([section, lines]) => `[${section}]\n${lines.join('\n')}\n`).join('\n');
}
