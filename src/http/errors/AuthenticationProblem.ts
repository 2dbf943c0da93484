import { HttpProblem } from './HttpProblem.js';

/**
 * The RFC 6750 error of a Bearer challenge: `invalid_token` for a credential that was sent but refused,
 * `invalid_request` for a request that sends credentials in more than one way, `insufficient_scope` for a
 * valid token without the scope the request needs; none when none was sent.
 */
export type BearerError = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

/** The `realm` of every challenge. */
const AUTH_REALM = 'petstore-sse';

/** RFC 6750 §3: `error_description` is printable ASCII without `"` and `\`. */
const quotable = (text: string): string => text.replace(/[^\x20-\x7e]|["\\]/g, ' ');

function challenge(error: BearerError | undefined, detail: string, scope: string | undefined): string {
  const base = `Bearer realm="${AUTH_REALM}"`;
  if (error === undefined) return base;
  const scopes = scope === undefined ? '' : `, scope="${quotable(scope)}"`;
  return `${base}, error="${error}", error_description="${quotable(detail)}"${scopes}`;
}

const ANSWERS = {
  invalid_request: ['bad_request', 400, 'Bad request'],
  insufficient_scope: ['forbidden', 403, 'Forbidden'],
  invalid_token: ['unauthorized', 401, 'Unauthorized'],
} as const;

/**
 * 401: the request carries no valid credentials (400 for `invalid_request`; 403 for `insufficient_scope`,
 * with the scopes needed in `scope`). Answered with a `WWW-Authenticate: Bearer` challenge naming the error;
 * the detail says what to send, and never repeats the credential.
 */
export class AuthenticationProblem extends HttpProblem {
  /** The `WWW-Authenticate` header value. */
  readonly wwwAuthenticate: string;

  constructor(error: BearerError | undefined, detail: string, scope?: string) {
    const [code, status, title] = ANSWERS[error ?? 'invalid_token'];
    super(code, status, title, detail);
    this.name = 'AuthenticationProblem';
    this.wwwAuthenticate = challenge(error, detail, scope);
  }
}
