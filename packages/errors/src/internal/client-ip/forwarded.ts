/** A hop whose `Forwarded` element could not be read (bad syntax, no or two `for`). */
export const MALFORMED = '';

/** Skips optional whitespace (spaces and tabs) from `at`. */
function skipSpace(text: string, at: number): number {
  let index = at;
  while (text[index] === ' ' || text[index] === '\t') index++;
  return index;
}

/**
 * The `for` value of every element of an RFC 7239 `Forwarded` header, left to right
 * (`for=192.0.2.43, for="[2001:db8:cafe::17]:4711";proto=https`). An element that cannot
 * be read, or has no `for` or two, is {@link MALFORMED}; a syntax error makes the rest of
 * the header one malformed element (nothing to its left can then be trusted).
 */
export function forwardedForValues(header: string): string[] {
  const values: string[] = [];
  let value: string | undefined;
  let broken = false;
  let index = 0;
  const length = header.length;
  const endElement = (): void => {
    values.push(broken || value === undefined ? MALFORMED : value);
    value = undefined;
    broken = false;
  };
  while (index <= length) {
    index = skipSpace(header, index);
    if (index >= length) {
      if (values.length > 0 || value !== undefined || broken) endElement();
      break;
    }
    const nameStart = index;
    while (index < length && /[!#$%&'*+.^_`|~0-9A-Za-z-]/.test(header[index] as string)) index++;
    const name = header.slice(nameStart, index).toLowerCase();
    if (name === '' || header[index] !== '=') {
      values.push(MALFORMED);
      return values;
    }
    index++;
    let pairValue: string;
    if (header[index] === '"') {
      let text = '';
      index++;
      while (index < length && header[index] !== '"') {
        if (header[index] === '\\') index++;
        text += header[index] ?? '';
        index++;
      }
      if (index >= length) {
        values.push(MALFORMED);
        return values;
      }
      index++;
      pairValue = `"${text}"`;
    } else {
      const valueStart = index;
      while (index < length && header[index] !== ';' && header[index] !== ',') index++;
      pairValue = header.slice(valueStart, index).trim();
    }
    if (name === 'for') {
      if (value !== undefined) broken = true;
      value = pairValue;
    }
    index = skipSpace(header, index);
    if (index >= length) {
      endElement();
      break;
    }
    if (header[index] === ',') {
      endElement();
      index++;
    } else if (header[index] === ';') {
      index++;
    } else {
      values.push(MALFORMED);
      return values;
    }
  }
  return values;
}
