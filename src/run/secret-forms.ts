// Kept apart from secrets.ts so the loader can use it without importing the module registry.

/**
 * Adds a secret and the forms it takes once printed: trimmed, line by line (a key shown as
 * stdout_lines), JSON-escaped (json output, the `json` helper) and inside POSIX single quotes
 * (the `quote` helper). Any non-empty value is kept, however short: the caller decides what counts.
 */
export function addSecretForms(secrets: Set<string>, value: string): void {
  const forms = [value, value.trim(), ...value.split(/\r?\n/).map((line) => line.trim()), JSON.stringify(value).slice(1, -1), value.replaceAll("'", `'\\''`)];
  for (const form of forms) if (form !== '') secrets.add(form);
}
