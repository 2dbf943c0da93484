/** A child of {@link element}: a node, or text (set as text, never parsed as HTML). */
export type Child = Node | string;

/** A new element with attributes (`class`, `data-*`, `datetime`...) and children. */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Readonly<Record<string, string>> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** The element of the page with this id, which must be a `type`; throws when index.html lacks it. */
export function requireElement<T extends HTMLElement>(id: string, type: new () => T): T {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`index.html has no ${type.name} #${id}`);
  return found;
}
