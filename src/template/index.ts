export { TemplateError, type TemplateErrorCode, type TemplatePosition } from './template-error.js';
export { isTemplate, renderString, renderValue } from './render.js';
export { evaluateCondition } from './condition.js';
export { templateVariables } from './variables.js';
export { isTruthy } from './truthiness.js';
