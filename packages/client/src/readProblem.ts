import { Problem as isProblem } from '../../../generated/validators/schemas.js';
import type { Problem } from './restTypes.js';

/**
 * The RFC 9457 body of an error response. A body that is not a problem (a proxy's HTML page, say) becomes
 * `{ type: 'about:blank', title: <status text>, status, detail: <the first 2000 characters> }`, as RFC 9457
 * §4.2.1 describes for responses without a problem type.
 */
export async function readProblem(response: Response): Promise<Problem> {
  const text = await response.text().catch(() => '');
  const body = parseJson(text);
  if (isProblem(body)) return body as Problem;
  const title = response.statusText || `HTTP ${response.status}`;
  return {
    type: 'about:blank',
    title,
    status: response.status,
    ...(text ? { detail: text.slice(0, 2000) } : {}),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON: the caller describes the response from its status instead.
    return undefined;
  }
}
