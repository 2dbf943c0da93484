import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { RecordedResponse } from '../../src/http/middleware/recordResponses.js';
import { checkResponse } from './checkResponse.js';
import { OpenApiDocument } from './openApiDocument.js';

/**
 * The drift check `npm test` runs after the unit tests: every response the test suite's servers sent
 * (recorded by `recordResponses` into `RECORD_RESPONSES_DIR`, default `test-artifacts/responses`) is checked
 * against `generated/specs/openapi.json`, and each stream frame against `openapi-3.2.json` too. Exits 1 and
 * lists what differs, grouped, when anything the server sent is undeclared or invalid.
 */
const dir = path.resolve(process.env.RECORD_RESPONSES_DIR ?? 'test-artifacts/responses');
const files = readdirSync(dir).filter((file) => file.endsWith('.jsonl'));
const records = files.flatMap((file) =>
  readFileSync(path.join(dir, file), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as RecordedResponse),
);
const doc = new OpenApiDocument('generated/specs/openapi.json');
const doc32 = new OpenApiDocument('generated/specs/openapi-3.2.json');

const groups = new Map<string, { count: number; example: string }>();
for (const record of records) {
  for (const violation of checkResponse(record, doc, doc32)) {
    const key = `${violation.where}: ${violation.message.replace(/frame \S+/g, 'frame')}`;
    const group = groups.get(key) ?? { count: 0, example: `${record.method} ${record.url}` };
    group.count += 1;
    groups.set(key, group);
  }
}

const streams = records.filter((record) =>
  String(record.headers['content-type']).startsWith('text/event-stream'),
);
console.log(
  `drift check: ${records.length} responses (${streams.length} streams) from ${files.length} processes ` +
    `checked against the OpenAPI document.`,
);
if (records.length === 0) {
  console.error(`No responses were recorded in ${dir}: is RECORD_RESPONSES_DIR set for the tests?`);
  process.exitCode = 1;
} else if (groups.size > 0) {
  console.error(`${groups.size} kinds of response differ from the document:`);
  for (const [key, { count, example }] of [...groups].sort((a, b) => b[1].count - a[1].count))
    console.error(`  ${count}× ${key}\n      e.g. ${example}`);
  process.exitCode = 1;
} else {
  console.log('Every response is declared and valid.');
}
