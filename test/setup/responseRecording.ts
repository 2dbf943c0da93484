import { rm } from 'node:fs/promises';
import path from 'node:path';

/** Where the servers of a test run record their responses (see src/http/middleware/recordResponses.ts). */
export const RECORDED_RESPONSES = path.resolve(import.meta.dirname, '../../test-artifacts/responses');

/** Vitest global setup: a run starts with no recorded responses, so the drift check sees only its own. */
export default async function clearRecordedResponses(): Promise<void> {
  await rm(RECORDED_RESPONSES, { recursive: true, force: true });
}
