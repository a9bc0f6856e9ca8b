import type { ErrorObject } from 'ajv';
import { RackplayError } from '../errors.js';
import { locate } from '../load/yaml-source.js';
import type { YamlSource } from '../load/yaml-source.js';
import { inventoryValidator } from '../validate/ajv.js';

/** Checks a YAML inventory against schemas/inventory.schema.json; each problem points at the offending node. */
export function inventorySchemaProblems(source: YamlSource): RackplayError[] {
  const validate = inventoryValidator('inventory');
  if (validate(source.data ?? null)) return [];
  return (validate.errors ?? []).filter((error) => error.keyword !== 'propertyNames').map((error) => toProblem(source, error));
}

function toProblem(source: YamlSource, error: ErrorObject): RackplayError {
  const path = instancePath(error.instancePath);
  const where = path.length === 0 ? 'the inventory' : `'${path.join('.')}'`;
  if (error.propertyName !== undefined) {
    const what = path.at(-1) === 'hosts' ? 'host name' : path.at(-1) === 'children' ? 'group name' : 'variable name';
    const why = what === 'variable name' ? 'a variable name starts with a letter or _ and holds only letters, digits and _' : `${error.message ?? 'not allowed'}`;
    return new RackplayError('E_INVENTORY', `invalid ${what} '${error.propertyName}' in ${where}: ${why}`, locate(source, [...path, error.propertyName], { key: true }));
  }
  if (error.keyword === 'additionalProperties') {
    const key = String((error.params as { additionalProperty: string }).additionalProperty);
    return new RackplayError('E_INVENTORY', `unknown key '${key}' in group ${where}: a group has only hosts, vars and children`, locate(source, [...path, key], { key: true }));
  }
  if (error.keyword === 'type') {
    const kind = path.length === 0 ? 'a mapping of group names' : `a mapping${path.at(-1) === 'hosts' ? ' of host names' : path.at(-1) === 'children' ? ' of group names' : ''}`;
    return new RackplayError('E_INVENTORY', `${where} must be ${kind} or empty`, locate(source, path));
  }
  return new RackplayError('E_INVENTORY', `${where} ${error.message ?? 'is invalid'}`, locate(source, path));
}

/** A JSON pointer (`/all/children/web~1x`) as the key path the YAML document understands. */
function instancePath(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}
