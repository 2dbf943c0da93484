import { siteBar } from './pageShell.js';

/** A page `redocly build-docs` wrote, as the site serves it, and the contract it hydrates from. */
export interface RedocPage {
  html: string;
  /** A module whose default export is the document Redoc renders (loaded only to hydrate). */
  definitionModule: string;
}

const IMPORT = 'import { hydrate } from "./redoc.standalone.js";';
const DEFINITION = /const __redoc_definition = (\{.*\});\n/;
const CALL = "hydrate(__redoc_definition, __redoc_options, document.getElementById('redoc'));";
/** The server the references are built with; the page shows its own origin instead. */
export const BUILT_ORIGIN = 'http://localhost:3000';
const PRELOAD = /<link rel="modulepreload" href="\.\/redoc\.standalone\.js"[^>]*>/;

/**
 * The page a reader gets at once is the one Redoc rendered at build time: complete and readable, without
 * waiting for the 2.3 MB bundle to be fetched, compiled and run, nor for the contract to be parsed. So the
 * page carries neither: once it has loaded, it imports the bundle and `definitionFile` and hydrates (the
 * search and the menus work from then on; `<html data-hydrated>` says so). The reference's server is the page's own origin, whatever host
 * and port it was served from (see {@link BUILT_ORIGIN}). The page also gets the site's bar (its one
 * navigation) and the site's stylesheet, inline like Redoc's own styles so that nothing holds the first
 * paint. Fails when the page no longer has the shape this rewrites.
 */
export function finishRedocPage(
  html: string,
  options: { pagePath: string; bundle: string; definitionFile: string; siteCss: string },
): RedocPage {
  const definition = DEFINITION.exec(html)?.[1];
  if (!html.includes(IMPORT) || !html.includes(CALL) || !PRELOAD.test(html) || !definition) {
    throw new Error(
      'redocly build-docs changed the page it writes: its Redoc import or hydrate call was not found',
    );
  }
  const hydrate = [
    '// The reference names the server this page came from, whatever its host and port: the page as built',
    `// names ${BUILT_ORIGIN} (npm start's default); its text and the contract say this page's origin instead.`,
    `const builtServer = { '${BUILT_ORIGIN}': location.origin, '${new URL(BUILT_ORIGIN).host}': location.host };`,
    "const texts = document.createTreeWalker(document.getElementById('redoc'), NodeFilter.SHOW_TEXT);",
    'for (let node = texts.nextNode(); node; node = texts.nextNode()) node.data = builtServer[node.data] ?? node.data;',
    'const hydrateRedoc = async () => {',
    `  const [{ hydrate }, { default: definition }] = await Promise.all([import("./${options.bundle}"), import("./${options.definitionFile}")]);`,
    '  if (Array.isArray(definition.servers)) definition.servers = definition.servers.map((server) => ({ ...server, url: location.origin }));',
    '  else for (const server of Object.values(definition.servers ?? {})) Object.assign(server, { host: location.host, protocol: location.protocol.slice(0, -1) });',
    `  ${CALL.replace('__redoc_definition', 'definition')}`,
    "  document.documentElement.dataset.hydrated = 'true';",
    '};',
    "if (document.readyState === 'complete') hydrateRedoc();",
    "else addEventListener('load', hydrateRedoc, { once: true });",
  ].join('\n      ');
  const page = html
    .replace(PRELOAD, '')
    .replace(IMPORT, '')
    .replace(DEFINITION, '')
    .replace(CALL, hydrate)
    .replace('<head>', `<head>\n    <link rel="icon" href="data:," />\n    <style>${options.siteCss}</style>`)
    .replace(/<body>/, `<body>\n${siteBar(options.pagePath)}`);
  return { html: page, definitionModule: `export default ${definition};\n` };
}
