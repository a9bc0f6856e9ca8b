/** Splits hosts into serial batches: a number, a percentage, or a list of them (the last repeats). */
export function serialBatches<T>(hosts: readonly T[], serial: number | string | readonly (number | string)[] | undefined): T[][] {
  if (serial === undefined || hosts.length === 0) return [hosts.slice()];
  const steps = Array.isArray(serial) ? serial : [serial as number | string];
  const batches: T[][] = [];
  let offset = 0;
  for (let step = 0; offset < hosts.length; step++) {
    const size = batchSize(steps[Math.min(step, steps.length - 1)]!, hosts.length);
    batches.push(hosts.slice(offset, offset + size));
    offset += size;
  }
  return batches;
}

function batchSize(step: number | string, total: number): number {
  if (typeof step === 'number') return Math.max(1, step);
  const percent = /^(\d+)%$/.exec(step);
  if (percent) return Math.max(1, Math.floor((Number(percent[1]) * total) / 100));
  return Math.max(1, Number(step) || total);
}
