/** The ids of the first pets of the catalog (the seeded demo pets), in the order the API lists them. */
export async function petIds(url: string, count: number): Promise<string[]> {
  const response = await fetch(`${url}/v1/pets?limit=100`);
  if (response.status !== 200) throw new Error(`GET /v1/pets answered ${response.status}`);
  const { items } = (await response.json()) as { items: { id: string }[] };
  if (items.length < count) throw new Error(`the catalog has ${items.length} pets, ${count} needed`);
  return items.slice(0, count).map((pet) => pet.id);
}

/** The newest seq of a history (0 when it holds no event). */
export function headOf(published: { events: { seq: number }[] }): number {
  return published.events.at(-1)?.seq ?? 0;
}
