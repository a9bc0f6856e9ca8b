import type { ErrorObject } from 'ajv';
import { RackplayError } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import { locate } from '../load/yaml-source.js';
import { findModule } from '../module/registry.js';
import type { YamlPath, YamlSource } from '../load/yaml-source.js';
import { isTemplate } from '../template/index.js';
import { declaredProperties } from './ajv.js';
import { closest, didYouMean } from './suggest.js';

export interface SchemaProblemContext {
  readonly source: YamlSource;
  /** Path in the YAML document of the validated value. */
  readonly path: YamlPath;
  /** Used in messages: "parameter" / "keyword". */
  readonly noun: string;
  /** Used in messages: "module copy" / "play". */
  readonly owner: string;
  /** Templated strings are checked again after rendering, so their errors are dropped at load. */
  readonly skipTemplated: boolean;
  /** For "did you mean" on unknown properties. */
  readonly schema?: Record<string, unknown>;
}

/** Turns ajv errors into positioned, coded problems; one problem per real mistake. */
export function schemaProblems(errors: readonly ErrorObject[], value: unknown, context: SchemaProblemContext): RackplayError[] {
  const problems: RackplayError[] = [];
  const seen = new Set<string>();
  const typoTargets = misspelledNames(errors, context);
  for (const error of errors) {
    // propertyNames reports twice: its inner error names the key and is the one kept.
    if (insideAlternative(error) || error.keyword === 'if' || error.keyword === 'propertyNames') continue;
    // A misspelled required parameter is one problem, reported once as the unknown parameter.
    if (missingNames(error).some((name) => typoTargets.has(name))) continue;
    const segments = pointerSegments(error.instancePath);
    if (context.skipTemplated && touchesTemplate(value, segments)) continue;
    const problem = withRuleReason(toProblem(error, segments, context), error, context);
    const key = `${problem.code}|${problem.position?.line}|${problem.position?.col}|${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}

/**
 * A module's own rules (ModuleDefinition.validate), for params that passed its schema, positioned at the offending
 * value. Skipped while templates remain (at load): the params are checked again once rendered.
 */
export function moduleRuleProblems(moduleName: string, params: Record<string, unknown>, context: SchemaProblemContext): RackplayError[] {
  const validate = findModule(moduleName)?.validate;
  if (validate === undefined || (context.skipTemplated && containsTemplate(params))) return [];
  return validate(params).map((problem) => {
    const segments = pointerSegments(problem.path);
    const subject = segments.length > 0 ? `${context.noun} '${segments.join('.')}' of ${context.owner}` : `${context.owner} ${context.noun}s`;
    return new RackplayError('E_INVALID_PARAM', `${subject}: ${problem.message}`, locate(context.source, [...context.path, ...segments]));
  });
}

function containsTemplate(value: unknown): boolean {
  if (typeof value === 'string') return isTemplate(value);
  if (value === null || typeof value !== 'object') return false;
  return Object.values(value).some(containsTemplate);
}

function toProblem(error: ErrorObject, segments: (string | number)[], context: SchemaProblemContext): RackplayError {
  const where = (path: YamlPath, key = false) => locate(context.source, [...context.path, ...path], { key });
  const name = segments.length > 0 ? segments.join('.') : undefined;
  const subject = name === undefined ? `${context.owner} ${context.noun}s` : `${context.noun} '${name}' of ${context.owner}`;
  const params = error.params as Record<string, unknown>;
  const problem = (code: ErrorCode, message: string, key = false, path: YamlPath = segments) =>
    new RackplayError(code, message, where(path, key));
  switch (error.keyword) {
    case 'additionalProperties': {
      const extra = String(params.additionalProperty);
      // A nested object (serf_agent's config) suggests from its own declared keys: ajv's verbose parentSchema.
      const nested = error.parentSchema as Record<string, unknown> | undefined;
      const candidates = segments.length === 0 && context.schema ? declaredProperties(context.schema) : nested !== undefined ? declaredProperties(nested) : [];
      return problem('E_UNKNOWN_PARAM', `unknown ${context.noun} '${[...segments, extra].join('.')}' for ${context.owner}${didYouMean(extra, candidates)}`, true, [...segments, extra]);
    }
    case 'required':
      // At the top level the owner's key (the module name) is where the parameter belongs.
      return problem('E_MISSING_PARAM', `missing required ${context.noun} '${[...segments, String(params.missingProperty)].join('.')}' for ${context.owner}`, segments.length === 0);
    case 'type':
      return problem('E_WRONG_TYPE', `${subject} must be ${String(params.type)}`);
    case 'anyOf':
    case 'oneOf': {
      const choices = requiredChoices(error);
      if (choices !== undefined && error.keyword === 'oneOf' && Array.isArray(params.passingSchemas)) {
        return problem('E_INVALID_PARAM', `${context.noun}s ${choices.map((name) => `'${name}'`).join(', ')} of ${context.owner} are mutually exclusive`, true);
      }
      if (choices !== undefined) {
        return problem('E_MISSING_PARAM', `missing required ${context.noun}: one of ${choices.map((name) => `'${name}'`).join(', ')} for ${context.owner}`, segments.length === 0);
      }
      return problem(segments.length === 0 ? 'E_INVALID_PARAM' : 'E_WRONG_TYPE', `${subject} ${alternativeMessage(error)}`);
    }
    case 'not': {
      const together = (error.schema as { required?: string[] } | undefined)?.required;
      if (together !== undefined) return problem('E_INVALID_PARAM', `${context.noun}s ${together.map((name) => `'${name}'`).join(' and ')} of ${context.owner} are mutually exclusive`, true);
      return problem('E_INVALID_PARAM', `${subject} ${error.message ?? 'is invalid'}`);
    }
    case 'enum':
      return problem('E_INVALID_PARAM', `${subject} must be one of: ${(params.allowedValues as unknown[]).map(String).join(', ')}${typeof error.data === 'string' ? didYouMean(error.data, (params.allowedValues as unknown[]).map(String)) : ''}`);
    case 'pattern': {
      // A key refused by propertyNames: said once, at the key, in the schema's words.
      const key = (error as { propertyName?: string }).propertyName;
      const keyFormat = (error.parentSchema as { 'x-format'?: unknown } | undefined)?.['x-format'];
      if (key !== undefined) return problem('E_INVALID_PARAM', `${subject}: '${key}' is not ${typeof keyFormat === 'string' ? keyFormat : 'a valid key'}`, true, [...segments, key]);
      // A schema names what its pattern accepts (x-format: "an IPv4 or IPv6 address") rather than show the regex.
      const format = (error.parentSchema as { 'x-format'?: unknown } | undefined)?.['x-format'];
      if (typeof format === 'string') return problem('E_INVALID_PARAM', `${subject} must be ${format}`);
      return problem('E_INVALID_PARAM', `${subject} ${error.message ?? 'is invalid'}`);
    }
    default:
      return problem('E_INVALID_PARAM', `${subject} ${error.message ?? 'is invalid'}`);
  }
}

/**
 * An error inside the `then` of a described cross-field rule (`allOf: [{description, if, then}]`) says what is
 * wrong but not why: the rule's description is added.
 */
function withRuleReason(problem: RackplayError, error: ErrorObject, context: SchemaProblemContext): RackplayError {
  const rule = /^#\/allOf\/(\d+)\/then\//.exec(error.schemaPath);
  const rules = (context.schema as { allOf?: { description?: unknown }[] } | undefined)?.allOf;
  const reason = rule === null ? undefined : rules?.[Number(rule[1])]?.description;
  if (typeof reason !== 'string') return problem;
  return new RackplayError(problem.code, `${problem.message} (${reason.replace(/\.$/, '')})`, problem.position);
}

/** Alternatives that only differ in which parameter is required: "one of a, b". */
function requiredChoices(error: ErrorObject): string[] | undefined {
  const branches = (error.schema as { required?: string[] }[] | undefined) ?? [];
  if (branches.length === 0 || !branches.every((branch) => Array.isArray(branch.required) && Object.keys(branch).length === 1)) return undefined;
  return branches.flatMap((branch) => branch.required ?? []);
}

function missingNames(error: ErrorObject): string[] {
  if (error.keyword === 'required') return [String((error.params as { missingProperty?: unknown }).missingProperty)];
  if (error.keyword === 'anyOf' || error.keyword === 'oneOf') return requiredChoices(error) ?? [];
  return [];
}

function misspelledNames(errors: readonly ErrorObject[], context: SchemaProblemContext): Set<string> {
  const candidates = context.schema ? declaredProperties(context.schema) : [];
  const names = new Set<string>();
  for (const error of errors) {
    if (error.keyword !== 'additionalProperties' || error.instancePath !== '') continue;
    const suggestion = closest(String((error.params as { additionalProperty?: unknown }).additionalProperty), candidates);
    if (suggestion !== undefined) names.add(suggestion);
  }
  return names;
}

function alternativeMessage(error: ErrorObject): string {
  const branches = (error.schema as { type?: unknown; required?: unknown }[] | undefined) ?? [];
  const types = branches.flatMap((branch) => (branch.type === undefined ? [] : [branch.type].flat())).map(String);
  if (types.length > 0 && types.length === branches.length) return `must be ${[...new Set(types)].join(' or ')}`;
  if (error.keyword === 'oneOf' && (error.params as { passingSchemas?: unknown }).passingSchemas) return 'matches more than one allowed form';
  return 'does not match any allowed form';
}

/** Errors from inside anyOf/oneOf branches contradict each other; the branch point reports instead. */
function insideAlternative(error: ErrorObject): boolean {
  return /\/(anyOf|oneOf)\/\d+\//.test(error.schemaPath);
}

function pointerSegments(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

function touchesTemplate(value: unknown, segments: readonly (string | number)[]): boolean {
  let current = value;
  for (let i = 0; ; i++) {
    if (typeof current === 'string' && isTemplate(current)) return true;
    if (i === segments.length || current === null || typeof current !== 'object') return false;
    current = (current as Record<string | number, unknown>)[segments[i]!];
  }
}
