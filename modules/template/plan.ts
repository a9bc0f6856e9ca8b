/** A template is planned exactly as a copy of its rendered content. */
export { planCopy as planTemplate } from '../copy/plan.js';
