import type { Context } from 'koa';
import { AuthenticationProblem } from '../errors/index.js';
import { bearerToken } from './bearerToken.js';
import type { Auth } from './createAuth.js';
import type { Principal } from './Principal.js';

/**
 * The user of the request's bearer token, when the token carries every one of `scopes` (an operation's
 * `bearerAuth` scopes, e.g. `inventory:write`): 401 problem without a valid token, 403 (`insufficient_scope`,
 * naming the scopes missing) with one that lacks a scope.
 */
export async function requireScopes(ctx: Context, auth: Auth, scopes: readonly string[]): Promise<Principal> {
  const needed = scopes.join(' ');
  const token = bearerToken(ctx);
  if (token === undefined) {
    throw new AuthenticationProblem(
      undefined,
      `This needs a staff access token with the scope ${needed}: send Authorization: Bearer <token>.`,
    );
  }
  const user = await auth.verify(token);
  const missing = scopes.filter((scope) => !user.scopes.includes(scope));
  if (missing.length > 0) {
    throw new AuthenticationProblem(
      'insufficient_scope',
      `This needs the scope ${missing.join(' ')}, which the access token does not carry; get a token with it ` +
        `(in dev mode: POST /v1/dev/tokens with "scopes": ${JSON.stringify(missing)}).`,
      needed,
    );
  }
  return user;
}
