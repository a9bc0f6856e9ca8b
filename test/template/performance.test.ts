import { expect, test } from 'vitest';
import { renderString, renderValue } from '../../src/template/index.js';

// Timings are printed, not asserted: CI machines vary too much for a threshold to mean anything.
test('strings without {{ skip Handlebars entirely; repeated templates are compiled once', () => {
  const vars = { host: 'web1', port: 8080 };
  const plain = Array.from({ length: 10_000 }, (_, index) => `/etc/service-${index}.conf`);
  let started = performance.now();
  const rendered = plain.map((text) => renderString(text, vars));
  const plainMs = performance.now() - started;
  expect(rendered).toEqual(plain);

  started = performance.now();
  const templated = plain.map((_, index) => renderValue({ dest: '/srv/{{host}}/app.conf', port: '{{port}}', index }, vars));
  const templatedMs = performance.now() - started;
  expect(templated[9_999]).toEqual({ dest: '/srv/web1/app.conf', port: 8080, index: 9_999 });

  console.log(`10k plain strings: ${plainMs.toFixed(2)} ms; 10k objects with 2 templates each: ${templatedMs.toFixed(2)} ms`);
});
