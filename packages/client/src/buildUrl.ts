/** Values of path or query parameters, as the typed options carry them. */
export type ParamValues = Readonly<Record<string, unknown>>;

/**
 * `baseUrl` + the OpenAPI path template with each `{name}` filled (percent-encoded) + the query string.
 * `undefined` query values are left out; an array repeats its key.
 */
export function buildUrl(baseUrl: string, template: string, path: ParamValues = {}, query: ParamValues = {}) {
  const filled = template.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const value = path[name];
    if (value === undefined || value === null)
      throw new TypeError(`The path parameter ${name} of ${template} is missing.`);
    return encodeURIComponent(String(value));
  });
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(name, String(item));
  }
  const queryString = search.toString();
  return `${baseUrl}${filled}${queryString ? `?${queryString}` : ''}`;
}
