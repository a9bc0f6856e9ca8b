import { describe, expect, test } from 'vitest';
import { TemplateError, renderValue } from '../../src/template/index.js';

const vars = {
  groups: { web: ['web1', 'web2'], empty: [] },
  hostvars: { web1: { serf_tags: { web_addr: '10.1.1.2' } }, web2: { serf_tags: { web_addr: '10.1.1.3' } } },
  http_port: 80,
  web_servers: [{ name: 'web1', address: '10.20.0.11' }, { name: 'web2', address: '10.20.0.12' }],
};
const value = (source: string) => renderValue(source, vars);

describe('list helpers: extract, pluck, objects', () => {
  test('extract looks each name up in a container, then follows a dotted path', () => {
    expect(value("{{extract groups.web hostvars 'serf_tags.web_addr'}}")).toEqual(['10.1.1.2', '10.1.1.3']);
    expect(value('{{extract groups.web hostvars}}')).toEqual([{ serf_tags: { web_addr: '10.1.1.2' } }, { serf_tags: { web_addr: '10.1.1.3' } }]);
    expect(value("{{extract groups.empty hostvars 'serf_tags.web_addr'}}")).toEqual([]);
  });

  test('pluck reads a path in each item', () => {
    expect(value("{{pluck web_servers 'address'}}")).toEqual(['10.20.0.11', '10.20.0.12']);
  });

  test('objects makes one object per item, the item under the key plus the named arguments', () => {
    expect(value("{{objects (extract groups.web hostvars 'serf_tags.web_addr') 'address' port=http_port forwarding='nat'}}")).toEqual([
      { address: '10.1.1.2', port: 80, forwarding: 'nat' },
      { address: '10.1.1.3', port: 80, forwarding: 'nat' },
    ]);
    expect(value("{{objects (pluck web_servers 'name') 'host'}}")).toEqual([{ host: 'web1' }, { host: 'web2' }]);
  });

  test('a missing name or path, or a non-list, is an error naming what is missing', () => {
    expect(() => value("{{extract groups.web hostvars 'serf_tags.role'}}")).toThrow(/extract: 'web1' has no serf_tags\.role/);
    expect(() => value("{{extract web_servers hostvars 'x'}}")).toThrow(TemplateError);
    expect(() => value("{{pluck web_servers 'port'}}")).toThrow(/pluck: item 0 has no port/);
    expect(() => value("{{objects http_port 'address'}}")).toThrow(/objects: expects a list, got/);
    expect(() => value('{{objects web_servers 5}}')).toThrow(/key must be a non-empty string/);
  });
});
