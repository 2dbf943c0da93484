import type { Context } from 'koa';
import { AuthenticationProblem } from '../errors/index.js';
import { bearerToken } from './bearerToken.js';
import type { Auth } from './createAuth.js';
import type { Principal } from './Principal.js';

const MISSING = "This needs the owner's access token: send Authorization: Bearer <token>.";

/** The user the request's bearer token is for; a 401 problem when it has none or it is not valid. */
export async function requireUser(ctx: Context, auth: Auth): Promise<Principal> {
  const token = bearerToken(ctx);
  if (token === undefined) throw new AuthenticationProblem(undefined, MISSING);
  return auth.verify(token);
}
