/** Dollars (a Price, e.g. `249.99`) to integer cents (`24999`), rounding to the nearest cent. */
export function dollarsToCents(dollars: number): number {
  return Math.round(dollars * 100);
}

/**
 * Integer cents as the driver returns them (number, bigint or numeric string) to dollars. Dividing an exact
 * integer by 100 yields the same double as the decimal literal, so `24999` becomes exactly `249.99`.
 */
export function centsToDollars(cents: number | bigint | string): number {
  return Number(cents) / 100;
}
