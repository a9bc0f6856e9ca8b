import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BiosConfigError, parseBiosConfig, parseBiosInfo, parseTextConfig, parseXmlConfig, renderPartialConfig } from '../../../modules/sum_bios/parse.js';
import type { BiosSetting } from '../../../modules/sum_bios/parse.js';
import { XmlError, parseXml } from '../../../modules/sum_bios/xml.js';

const fixture = (name: string): string => readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'fixtures', name), 'latin1');
const byKey = (settings: readonly BiosSetting[], key: string): BiosSetting | undefined => settings.find((setting) => setting.key === key);

describe('the XML subset reader', () => {
  it('reads elements, attributes in either quote, text, CDATA, comments and entities', () => {
    const root = parseXml(`\ufeff<?xml version="1.0"?>\n<!-- c --><a x='1' y="&lt;&amp;&#65;&#x42;&quot;"><b>t &gt; u</b><c/><d><![CDATA[<raw> & ]]></d></a>\n`);
    expect(root.name).toBe('a');
    expect(root.attributes).toEqual({ x: '1', y: '<&AB"' });
    expect(root.children.map((child) => [child.name, child.text])).toEqual([
      ['b', 't > u'],
      ['c', ''],
      ['d', '<raw> &'],
    ]);
  });

  it.each([
    ['<a><b></a>', /unexpected closing tag/],
    ['<a>', /unclosed element/],
    ['<a x=1/>', /not quoted/],
    ['<a x="1" x="2"/>', /duplicate attribute/],
    ['<a>&nbsp;</a>', /unknown entity/],
    ['<a>&amp</a>', /unterminated entity/],
    ['<a/><b/>', /content after the root element/],
    ['text<a/>', /text outside the root element/],
    ['<!DOCTYPE a><a/>', /DTDs/],
    ['', /no root element/],
  ])('refuses %s', (source, message) => {
    expect(() => parseXml(source)).toThrow(XmlError);
    expect(() => parseXml(source)).toThrow(message);
  });
});

describe('SUM 2.x XML configurations', () => {
  const config = parseXmlConfig(fixture('x11-current.xml'));

  it('keys settings by their nested menus and reads the Main menu version', () => {
    expect(config).toMatchObject({ format: 'xml', biosVersion: '3.4', biosDate: '10/14/2020' });
    expect(config.settings.map((setting) => setting.key)).toContain('Advanced|CPU Configuration|Advanced Power Management Configuration|Power Technology');
    expect(byKey(config.settings, 'Advanced|Boot Feature|Wait For "F1" If Error')).toMatchObject({ type: 'Option', current: 'Enabled' });
  });

  it('reads Option, Numeric, String, boot order and unsupported types', () => {
    expect(byKey(config.settings, 'Advanced|CPU Configuration|Hyper-Threading [ALL]')).toEqual({
      key: 'Advanced|CPU Configuration|Hyper-Threading [ALL]',
      menu: ['Advanced', 'CPU Configuration'],
      name: 'Hyper-Threading [ALL]',
      type: 'Option',
      current: 'Disable',
      default: 'Enable',
      options: [
        { value: '0', label: 'Disable' },
        { value: '1', label: 'Enable' },
      ],
    });
    expect(byKey(config.settings, 'Advanced|CPU Configuration|Core Enabled')).toMatchObject({ type: 'Numeric', current: 0, default: 0, min: 0, max: 28, step: 1 });
    expect(byKey(config.settings, 'Security|Asset Tag')).toMatchObject({ type: 'String', current: 'rack-07&u12', default: '', maxSize: 20 });
    expect(byKey(config.settings, 'Security|Administrator Password')).toMatchObject({ type: 'Other', sumType: 'Password' });
    expect(byKey(config.settings, 'Boot|Boot Option #2')).toMatchObject({ type: 'Option', order: 2, current: 'UEFI Network:IPv4 Intel(R) I350 Gigabit' });
  });

  it('refuses a document that is not a BiosCfg, or a setting without its value', () => {
    expect(() => parseXmlConfig('<Config/>')).toThrow(BiosConfigError);
    expect(() => parseXmlConfig('<BiosCfg><Menu name="A"><Setting name="S" type="Option"/></Menu></BiosCfg>')).toThrow(/selectedOption/);
    expect(() => parseXmlConfig('<BiosCfg><Menu name="A"><Setting name="N" numericValue="x" type="Numeric"/></Menu></BiosCfg>')).toThrow(/not a number/);
  });

  it('writes a partial file holding only the given settings, nested, escaped, that reads back', () => {
    const hyper = byKey(config.settings, 'Advanced|CPU Configuration|Hyper-Threading [ALL]') as BiosSetting;
    const power = byKey(config.settings, 'Advanced|CPU Configuration|Advanced Power Management Configuration|Power Technology') as BiosSetting;
    const tag = byKey(config.settings, 'Security|Asset Tag') as BiosSetting;
    const boot = byKey(config.settings, 'Boot|Boot Option #1') as BiosSetting;
    const partial = renderPartialConfig('xml', [
      { setting: hyper, value: 'Enable' },
      { setting: power, value: 'Custom' },
      { setting: tag, value: 'a<b>&"c" é €' },
      { setting: boot, value: 'UEFI Network:IPv4 Intel(R) I350 Gigabit' },
    ]);
    expect(partial).toContain('<Menu name="CPU Configuration">\n      <Setting name="Hyper-Threading [ALL]" selectedOption="Enable" type="Option"/>');
    expect(partial).toContain('stringValue="a&lt;b&gt;&amp;&quot;c&quot; é &#8364;"');
    expect(partial).toContain('<Setting name="Boot Option #1" order="1" selectedOption="UEFI Network:IPv4 Intel(R) I350 Gigabit" type="Option"/>');
    const back = parseXmlConfig(partial);
    expect(back.settings.map((setting) => [setting.key, setting.current])).toEqual([
      ['Advanced|CPU Configuration|Hyper-Threading [ALL]', 'Enable'],
      ['Advanced|CPU Configuration|Advanced Power Management Configuration|Power Technology', 'Custom'],
      ['Security|Asset Tag', 'a<b>&"c" é €'],
      ['Boot|Boot Option #1', 'UEFI Network:IPv4 Intel(R) I350 Gigabit'],
    ]);
  });
});

describe('SUM 1.x text configurations', () => {
  const config = parseTextConfig(fixture('x9-current.txt'));

  it('reads sections, hex values, labels and the * default', () => {
    expect(config.format).toBe('text');
    expect(byKey(config.settings, 'Advanced|Processor & Clock Options|Hyper-threading')).toMatchObject({
      type: 'Option',
      current: 'Disabled',
      default: 'Enabled',
      options: [
        { value: '00', label: 'Disabled' },
        { value: '01', label: 'Enabled' },
      ],
    });
    expect(byKey(config.settings, 'Advanced|Processor & Clock Options|Active Processor Cores')).toMatchObject({ current: 'All', default: 'All' });
    expect(parseBiosConfig(fixture('x9-current.txt'))).toEqual(config);
  });

  it('refuses a value outside the listed options and a setting outside a section', () => {
    expect(() => parseTextConfig('[A]\nS=05 // 00 (Off), *01 (On)\n')).toThrow(/none of its options/);
    expect(() => parseTextConfig('S=01\n')).toThrow(/outside a \[Menu\] section/);
  });

  it('writes a partial text file with hex values', () => {
    const hyper = byKey(config.settings, 'Advanced|Processor & Clock Options|Hyper-threading') as BiosSetting;
    const quiet = byKey(config.settings, 'Advanced|Boot Feature|Quiet Boot') as BiosSetting;
    expect(renderPartialConfig('text', [{ setting: hyper, value: 'Enabled' }, { setting: quiet, value: 'Disabled' }])).toBe(
      '[Advanced|Processor & Clock Options]\nHyper-threading=01\n\n[Advanced|Boot Feature]\nQuiet Boot=00\n',
    );
  });
});

describe('GetBiosInfo', () => {
  it("reads the managed system's version and date, not the image file's", () => {
    expect(parseBiosInfo(fixture('getbiosinfo.txt'))).toEqual({ version: '3.4', date: '2020/10/14', board: '0953' });
    expect(parseBiosInfo('nothing useful')).toEqual({});
  });
});
