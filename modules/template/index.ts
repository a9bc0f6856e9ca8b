import { defineModule } from '../../src/module/contract.js';
import type { TemplateParamsFromSchema } from './params.generated.js';
import { convergingMeta } from '../../src/module/meta.js';
import type { ModuleContext } from '../../src/module/contract.js';
import { applyWrite } from '../copy/apply.js';
import { gatherCopy, readControllerFile, sourceFromBytes } from '../copy/gather.js';
import type { CopySource, CopyState } from '../copy/gather.js';
import { planTemplate } from './plan.js';
import type { WriteParams } from '../copy/plan.js';

export interface TemplateParams extends WriteParams {
  readonly src: string;
}

/** Renders on the controller, then writes exactly as copy does. */
export default defineModule<TemplateParamsFromSchema, CopyState>({
  name: 'template',
  meta: convergingMeta({
    dest: 'the file written (dest/NAME when dest is a folder)',
    checksum: 'sha256 of the rendered content',
    size: 'size of the rendered content in bytes',
    backup_file: 'the backup made of the previous file, with backup=true',
  }),
  gather: async (ctx, params) => gatherCopy(ctx, params.dest, await renderedSource(ctx, params)),
  plan: planTemplate,
  apply: applyWrite,
});

async function renderedSource(ctx: ModuleContext, params: TemplateParams): Promise<CopySource> {
  const template = await readControllerFile(ctx, params.src, 'templates');
  return sourceFromBytes(Buffer.from(ctx.renderTemplate(template.content.toString('utf8'), template.path)), params.src);
}
