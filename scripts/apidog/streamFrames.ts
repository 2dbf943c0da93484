/**
 * A test-script line that reads the SSE response into `frames` (`{ event, id, data }`, data parsed as JSON
 * when it is JSON, e.g. not `[DONE]`; its `data` is what the stream's schema in `openapi.json` describes): a
 * frame without an `event:` line is a `message`, as EventSource dispatches it. CR, LF and CRLF end lines; comments
 * and `retry:` are skipped.
 */
export const streamFramesScript = `const frames = pm.response.text().split(/\\r\\n\\r\\n|\\r\\r|\\n\\n/).map((block) => {
  const frame = { event: 'message' }; const data = [];
  for (const line of block.split(/\\r\\n|\\r|\\n/)) {
    const colon = line.indexOf(':'); if (colon <= 0) continue;
    const field = line.slice(0, colon); const value = line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') data.push(value); else if (field === 'event' || field === 'id') frame[field] = value;
  }
  if (data.length === 0) return undefined;
  const text = data.join('\\n');
  try { frame.data = JSON.parse(text); } catch { frame.data = text; }
  return frame;
}).filter(Boolean);`;
