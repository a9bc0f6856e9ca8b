import { defineHelper, HelperError, type HelperFunction } from './define-helper.js';
import { describeType, formatValue } from './format.js';
import { resolvePath } from './lookup.js';

/**
 * Helpers that turn one list into another, for what Ansible writes with `map('extract', …)`,
 * `map(attribute=…)` and a Jinja loop: building module parameters (a list of objects) from groups and
 * hostvars, such as ipvs_service real servers from the members of a group.
 */
export const listHelpers: readonly [string, HelperFunction][] = [
  // {{extract groups.web hostvars 'serf_tags.web_addr'}}: each name looked up in the container, then the path.
  defineHelper('extract', { min: 2, max: 3 }, ([list, container, path]) => asList(list).map((item) => extract(container, item, path))),
  // {{pluck web_servers 'address'}}: the path read in each item.
  defineHelper('pluck', { min: 2, max: 2 }, ([list, path]) => asList(list).map((item, index) => follow(item, path, `item ${index}`))),
  // {{objects addresses 'address' port=80 forwarding='nat'}}: one object per item, the item under key, plus the hash.
  defineHelper('objects', { min: 2, max: 2 }, ([list, key], call) => {
    if (typeof key !== 'string' || key === '') throw new HelperError(`key must be a non-empty string, got ${describeType(key)}`);
    return asList(list).map((item) => ({ [key]: item, ...call.hash }));
  }),
];

function asList(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new HelperError(`expects a list, got ${describeType(value)}`);
  return value;
}

function extract(container: unknown, item: unknown, path: unknown): unknown {
  if (container === null || typeof container !== 'object') throw new HelperError(`expects an object to look items up in, got ${describeType(container)}`);
  const name = formatValue(item);
  const found = resolvePath(container, [name]);
  if (!found.found) throw new HelperError(`'${name}' is not in the container`);
  return path === undefined ? found.value : follow(found.value, path, `'${name}'`);
}

function follow(value: unknown, path: unknown, what: string): unknown {
  if (typeof path !== 'string' || path === '') throw new HelperError(`path must be a non-empty string, got ${describeType(path)}`);
  const found = resolvePath(value, path.split('.'));
  if (!found.found) throw new HelperError(`${what} has no ${path.split('.').slice(0, found.missingAt + 1).join('.')}`);
  return found.value;
}
