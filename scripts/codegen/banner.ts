/** The first line of every generated source file. */
export const BANNER =
  '// generated from spec/ by scripts/codegen — do not edit; change spec/ and run `npm run codegen`.';

/** The key that marks the bundled JSON specs as generated (JSON has no comments). */
export const JSON_BANNER_KEY = 'x-generated';
export const JSON_BANNER = 'generated from spec/ by scripts/codegen — do not edit';
