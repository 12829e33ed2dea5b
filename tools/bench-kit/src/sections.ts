/** What a section id may look like: it ends up inside an HTML comment and a file name-like key. */
const SECTION_ID = /^[a-z0-9_][a-z0-9._-]*$/i;

/** Matches any section marker, capturing its id and whether it starts or ends a section. */
const MARKER = /<!-- bench:([^\s:]+):(start|end) -->/g;

/** The pair of HTML comments that delimit one generated section of `docs/benchmarks.md`. */
export interface SectionMarkers {
  /** The comment on the section's first line. */
  readonly start: string;
  /** The comment on the section's last line. */
  readonly end: string;
}

/**
 * The markers delimiting section `id`: `<!-- bench:<id>:start -->` and `<!-- bench:<id>:end -->`.
 *
 * @throws {RangeError} when `id` is not letters, digits, `.`, `_` and `-` (not starting with `.` or `-`).
 */
export function sectionMarkers(id: string): SectionMarkers {
  if (!SECTION_ID.test(id)) {
    throw new RangeError(
      `bench section id must be letters, digits, ".", "_" or "-", not starting with "." or "-" (got ${JSON.stringify(id)})`,
    );
  }
  return { start: `<!-- bench:${id}:start -->`, end: `<!-- bench:${id}:end -->` };
}

/** Where one generated section sits in a document. */
export interface FoundSection {
  /** The section's id, as written in its markers. */
  readonly id: string;
  /** Index of the first character of the start marker. */
  readonly startIndex: number;
  /** Index just past the last character of the end marker. */
  readonly endIndex: number;
}

/**
 * Every well-formed section in `document`, in order of appearance.
 *
 * @throws {Error} when a marker has no partner, sections nest or overlap, or an id appears twice,
 *   so a damaged file is reported instead of silently rewritten.
 */
export function findSections(document: string): FoundSection[] {
  const sections: FoundSection[] = [];
  const seen = new Set<string>();
  let open: { id: string; index: number } | undefined;
  for (const match of document.matchAll(MARKER)) {
    const id = match[1] ?? '';
    const kind = match[2];
    if (kind === 'start') {
      if (open !== undefined) {
        throw new Error(`bench section "${open.id}" has no end marker before "${id}" starts`);
      }
      if (seen.has(id)) throw new Error(`bench section "${id}" appears more than once`);
      open = { id, index: match.index };
    } else {
      if (open === undefined || open.id !== id) {
        throw new Error(`bench section "${id}" ends without having started`);
      }
      seen.add(id);
      sections.push({ id, startIndex: open.index, endIndex: match.index + match[0].length });
      open = undefined;
    }
  }
  if (open !== undefined) throw new Error(`bench section "${open.id}" has no end marker`);
  return sections;
}

/**
 * Returns `document` with section `id` set to `body`, leaving every other byte as it was.
 * An existing section is replaced in place; a new one is inserted before the first section
 * whose id sorts after it (by code point), or appended at the end, so sections stay sorted by id.
 *
 * @param body - The markdown between the markers (without them).
 * @throws {RangeError} when `id` is not a valid section id (see {@link sectionMarkers}).
 * @throws {Error} when `document` holds damaged markers (see {@link findSections}).
 */
export function replaceSection(document: string, id: string, body: string): string {
  const { start, end } = sectionMarkers(id);
  const block = `${start}\n${body.trim()}\n${end}`;
  const sections = findSections(document);
  const existing = sections.find((section) => section.id === id);
  if (existing !== undefined) {
    return document.slice(0, existing.startIndex) + block + document.slice(existing.endIndex);
  }
  const next = sections.find((section) => section.id > id);
  if (next !== undefined) {
    return `${document.slice(0, next.startIndex)}${block}\n\n${document.slice(next.startIndex)}`;
  }
  const head = document.trimEnd();
  return head === '' ? `${block}\n` : `${head}\n\n${block}\n`;
}

/**
 * Returns `document` without section `id` (and the blank line that separated it),
 * or unchanged when there is no such section.
 *
 * @throws {RangeError} when `id` is not a valid section id (see {@link sectionMarkers}).
 * @throws {Error} when `document` holds damaged markers (see {@link findSections}).
 */
export function removeSection(document: string, id: string): string {
  sectionMarkers(id);
  const existing = findSections(document).find((section) => section.id === id);
  if (existing === undefined) return document;
  const before = document.slice(0, existing.startIndex).replace(/\n*$/, '');
  const after = document.slice(existing.endIndex).replace(/^\n*/, '');
  if (before === '') return after;
  if (after === '') return `${before}\n`;
  return `${before}\n\n${after}`;
}
