import { HttpProblem } from './HttpProblem.js';

/**
 * The RFC 6750 error of a Bearer challenge: `invalid_token` for a credential that was sent but refused,
 * `invalid_request` for a request that sends credentials in more than one way; none when none was sent.
 */
export type BearerError = 'invalid_request' | 'invalid_token';

/** The `realm` of every challenge. */
const AUTH_REALM = 'petstore-sse';

/** RFC 6750 §3: `error_description` is printable ASCII without `"` and `\`. */
const quotable = (text: string): string => text.replace(/[^\x20-\x7e]|["\\]/g, ' ');

function challenge(error: BearerError | undefined, detail: string): string {
  const base = `Bearer realm="${AUTH_REALM}"`;
  return error === undefined ? base : `${base}, error="${error}", error_description="${quotable(detail)}"`;
}

/**
 * 401: the request carries no valid credentials (400 for `invalid_request`). Answered with a
 * `WWW-Authenticate: Bearer` challenge naming the error; the detail says what to send, and never repeats the
 * credential.
 */
export class AuthenticationProblem extends HttpProblem {
  /** The `WWW-Authenticate` header value. */
  readonly wwwAuthenticate: string;

  constructor(error: BearerError | undefined, detail: string) {
    const badRequest = error === 'invalid_request';
    super(
      badRequest ? 'bad_request' : 'unauthorized',
      badRequest ? 400 : 401,
      badRequest ? 'Bad request' : 'Unauthorized',
      detail,
    );
    this.name = 'AuthenticationProblem';
    this.wwwAuthenticate = challenge(error, detail);
  }
}
