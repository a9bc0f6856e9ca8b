import { defineModule } from '../../src/module/contract.js';
import type { CopyParamsFromSchema } from './params.generated.js';
import { convergingMeta } from '../../src/module/meta.js';
import type { ModuleContext } from '../../src/module/contract.js';
import { applyWrite } from './apply.js';
import { gatherCopy, readControllerFile, sourceFromBytes } from './gather.js';
import type { CopySource, CopyState } from './gather.js';
import { planCopy } from './plan.js';
import type { CopyParams } from './plan.js';

export default defineModule<CopyParamsFromSchema, CopyState>({
  name: 'copy',
  meta: convergingMeta({
    dest: 'the file written (dest/NAME when dest is a folder and src is given)',
    checksum: 'sha256 of the wanted content',
    size: 'size of the wanted content in bytes',
    backup_file: 'the backup made of the previous file, with backup=true',
  }),
  gather: async (ctx, params) => gatherCopy(ctx, params.dest, await copySource(ctx, params)),
  plan: planCopy,
  apply: applyWrite,
});

async function copySource(ctx: ModuleContext, params: CopyParams): Promise<CopySource> {
  if (params.content !== undefined) return sourceFromBytes(Buffer.from(params.content));
  if (params.src === undefined) throw new Error('copy: one of content or src is required');
  const file = await readControllerFile(ctx, params.src, 'files');
  return sourceFromBytes(file.content, params.src);
}
