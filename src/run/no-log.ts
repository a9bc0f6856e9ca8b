export const NO_LOG_MESSAGE = "the output has been hidden due to the fact that 'no_log: true' was specified for this result";
export const NO_LOG_ITEM = 'None';

/** What any output shows of a no_log result: whether it changed or failed, nothing else. */
export function maskResult(result: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const masked: Record<string, unknown> = { censored: NO_LOG_MESSAGE, changed: result.changed === true };
  if (result.failed === true) masked.failed = true;
  if (result.skipped === true) masked.skipped = true;
  if (result.unreachable === true) masked.unreachable = true;
  return masked;
}
