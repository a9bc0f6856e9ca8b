/** Ansible's tag selection: --tags picks, --skip-tags drops; 'always' and 'never' are special. */
export function isSelectedByTags(taskTags: ReadonlySet<string>, selected: readonly string[], skipped: readonly string[]): boolean {
  if (skipped.some((tag) => taskTags.has(tag)) || (skipped.includes('tagged') && taskTags.size > 0) || (skipped.includes('untagged') && taskTags.size === 0)) {
    return false;
  }
  const explicitlyRequested = selected.some((tag) => taskTags.has(tag));
  if (taskTags.has('never') && !explicitlyRequested) return false;
  if (selected.length === 0 || taskTags.has('always')) return true;
  if (explicitlyRequested || selected.includes('all')) return true;
  if (selected.includes('tagged') && taskTags.size > 0) return true;
  return selected.includes('untagged') && taskTags.size === 0;
}
