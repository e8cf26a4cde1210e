/**
 * Line and column of a JSON syntax error. V8 names the offset for most errors ("… at position 18")
 * but not for an unexpected token, so the offset is then found by bisecting on prefixes: a prefix
 * that only ends early fails with an end-of-input error, one that contains the mistake fails with
 * another error, and the shortest such prefix ends at the mistake.
 */

const POSITION = /at position (\d+)/;
const LINE_COLUMN = /line (\d+) column (\d+)/;

/** Whether parsing `prefix` fails before its end (rather than only because it stops early). */
function failsBeforeEnd(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return false;
  } catch (e: unknown) {
    const message = e instanceof Error ? e.message : '';
    if (/end of JSON input|Unterminated/.test(message)) return false;
    const position = POSITION.exec(message)?.[1];
    return position === undefined || Number(position) < prefix.length;
  }
}

/** The offset of the first syntax error in `text`, if it can be found. */
function errorOffset(text: string, message: string): number | undefined {
  const position = POSITION.exec(message)?.[1];
  if (position !== undefined) return Number(position);
  if (!failsBeforeEnd(text)) return undefined;
  let low = 1;
  let high = text.length;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (failsBeforeEnd(text.slice(0, middle))) high = middle;
    else low = middle + 1;
  }
  return low - 1;
}

/** `line L, column C` (1-based) of the syntax error `error` raised while parsing `text`, when known. */
export function jsonErrorLocation(text: string, error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : String(error);
  const lineColumn = LINE_COLUMN.exec(message);
  if (lineColumn !== null) return `line ${lineColumn[1]}, column ${lineColumn[2]}`;
  const offset = errorOffset(text, message);
  if (offset === undefined) return undefined;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}
