/**
 * The convention for commands in README.md and the guide's markdown, which test/docs/commands.test.ts
 * keeps: every fenced block names its language, and every shell block (`sh`, `bash`, `shell`) either runs
 * as written against a live server (`PORT` set to its port, the file's blocks in order in one shell), or
 * says why it cannot be run there:
 *
 *     ```sh                          runs to its end
 *     ```sh stream                   an endless stream: the test stops it once it has opened (first frame)
 *     ```sh norun: <reason>          not run by the test, for the reason given
 */
export const SHELL_LANGUAGES: ReadonlySet<string> = new Set(['sh', 'bash', 'shell']);

export interface BlockInfo {
  /** The language, e.g. `sh`, `ts`, `json`; `''` when the block names none. */
  lang: string;
  /** Why the block is not run by the test, when it is marked `norun:`. */
  norun?: string;
  /** An endless stream: the test stops it once it has opened (printed its first `retry:`/`id:`/`data:`). */
  stream: boolean;
}

/** Reads a fenced block's info string (what follows the opening fence). */
export function parseBlockInfo(info: string | undefined): BlockInfo {
  const text = (info ?? '').trim();
  const lang = /^\S*/.exec(text)![0];
  const rest = text.slice(lang.length).trim();
  const norun = /^norun:\s*(.*)$/.exec(rest)?.[1]?.trim();
  return { lang, stream: rest === 'stream', ...(norun === undefined ? {} : { norun }) };
}

export interface ShellBlock extends BlockInfo {
  /** The block's text. */
  code: string;
  /** The 1-based line of its opening fence. */
  line: number;
}

/** Every fenced block of a markdown text (``` or ~~~ fences), in order. */
export function fencedBlocks(markdown: string): ShellBlock[] {
  const lines = markdown.split('\n');
  const blocks: ShellBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( {0,3})(`{3,}|~{3,})(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[2]!;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !lines[j]!.trimStart().startsWith(fence)) body.push(lines[j++]!);
    blocks.push({ ...parseBlockInfo(open[3]), code: body.join('\n'), line: i + 1 });
    i = j;
  }
  return blocks;
}
