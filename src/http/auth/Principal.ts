/** Who a request acts for, from a verified credential, and until when that credential holds. */
export interface Principal {
  /** The token's subject: a user id (`^[A-Za-z0-9_-]{1,64}$`). */
  readonly userId: string;
  /** When the credential expires, in epoch milliseconds; a stream it opened ends then. */
  readonly expiresAt: number;
  /** The staff scopes the token carries (its scopes claim, `AUTH_SCOPES_CLAIM`); none for a stream ticket. */
  readonly scopes: readonly string[];
}
