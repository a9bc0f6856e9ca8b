/**
 * Splits the fact script's output into its sections: a line `MARKER name` starts a section, which runs
 * to the next such line. The script prints an empty line before each header, which is dropped here.
 */
export function splitSections(output: string, marker: string): Map<string, string> {
  const sections = new Map<string, string>();
  const header = `${marker} `;
  let name: string | undefined;
  let lines: string[] = [];
  const close = () => {
    if (name === undefined) return;
    if (lines.at(-1) === '') lines.pop();
    sections.set(name, lines.join('\n'));
  };
  for (const line of output.split('\n')) {
    if (line.startsWith(header)) {
      close();
      name = line.slice(header.length).trim();
      lines = [];
    } else if (name !== undefined) {
      lines.push(line);
    }
  }
  close();
  return sections;
}
