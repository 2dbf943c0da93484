import { Window } from 'happy-dom';

/**
 * A happy-dom document for React to render into, installed on the globals only where Node has nothing of
 * its own: the real server and the client in the same test keep Node's `fetch`, `URL`, `AbortController`
 * and streams (a whole-file DOM environment would replace them with the DOM library's).
 * Import this module before React. `IS_REACT_ACT_ENVIRONMENT` stays unset: the hook's updates come from the
 * network, outside `act`, and tests wait for them with `waitFor` (Testing Library's own `act` calls set it).
 */
const window = new Window({ url: 'http://localhost/' });
const added: string[] = [];
for (const name of [...Object.getOwnPropertyNames(window), 'window']) {
  if (name in globalThis) continue;
  Object.defineProperty(globalThis, name, {
    configurable: true,
    writable: true,
    value: name === 'window' ? window : Reflect.get(window, name),
  });
  added.push(name);
}

/** Removes what was installed and closes the document. */
export async function removeDomGlobals(): Promise<void> {
  for (const name of added) Reflect.deleteProperty(globalThis, name);
  await window.happyDOM.abort();
  await window.happyDOM.close();
}
