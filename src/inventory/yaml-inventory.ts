import { isMapping } from '../load/values.js';
import { locate, parseYamlSource } from '../load/yaml-source.js';
import type { YamlPath, YamlSource } from '../load/yaml-source.js';
import type { InventoryBuilder } from './builder.js';
import { expandHostKey } from './host-key.js';
import { inventorySchemaProblems } from './inventory-schema.js';

/**
 * Reads Ansible's YAML inventory (`all: { hosts, vars, children }`) into the builder. The walk
 * tolerates shapes the schema rejects, so one run reports schema, range and cycle problems together.
 */
export function readYamlInventory(file: string, text: string, builder: InventoryBuilder): void {
  const { source, problems } = parseYamlSource(file, text);
  builder.problems.push(...problems);
  if (problems.length > 0) return;
  builder.problems.push(...inventorySchemaProblems(source));
  if (!isMapping(source.data)) return;
  for (const [name, body] of Object.entries(source.data)) readGroup(source, builder, name, body, [name]);
}

function readGroup(source: YamlSource, builder: InventoryBuilder, name: string, body: unknown, path: YamlPath): void {
  const group = builder.declareGroup(name);
  if (!isMapping(body)) return;
  if (isMapping(body.vars)) Object.assign(group.vars, body.vars);
  if (isMapping(body.hosts)) {
    for (const [key, vars] of Object.entries(body.hosts)) {
      const hostVars = isMapping(vars) ? vars : {};
      for (const { name: host, port } of expandHostKey(key, locate(source, [...path, 'hosts', key], { key: true }), builder.problems)) {
        builder.addHostToGroup(name, host, port === undefined ? hostVars : { ansible_port: port, ...hostVars });
      }
    }
  }
  if (isMapping(body.children)) {
    for (const [child, childBody] of Object.entries(body.children)) {
      const childPath = [...path, 'children', child];
      builder.addChild(name, child, locate(source, childPath, { key: true }));
      readGroup(source, builder, child, childBody, childPath);
    }
  }
}
