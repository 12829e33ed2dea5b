/**
 * The exact spellings a sensitive key is matched in. Matching is one `Set#has` per key:
 * no lower-casing or normalising on the hot path, so every spelling is listed up front.
 */
const ACRONYMS = new Set(['api', 'id', 'jwt', 'otp', 'pin', 'ssn', 'url']);

/** Splits `accessToken`, `access_token`, `access-token` and `X-API-Key` into lower-case words. */
export function splitWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_.-]+/)
    .filter((word) => word.length > 0)
    .map((word) => word.toLowerCase());
}

function capitalize(word: string): string {
  return word.length === 0 ? word : `${word.charAt(0).toUpperCase()}${word.slice(1)}`;
}

function capitalizeWithAcronyms(word: string): string {
  return ACRONYMS.has(word) ? word.toUpperCase() : capitalize(word);
}

/** Every usual spelling of a key: the given one, lower, upper, camel, Pascal, kebab, snake, Title-Case. */
export function spellingsOf(key: string): string[] {
  const words = splitWords(key);
  const spellings = new Set<string>([key]);
  if (words.length === 0) return [...spellings];
  const [first = '', ...rest] = words;
  for (const separator of ['', '-', '_']) {
    spellings.add(words.join(separator));
    spellings.add(words.join(separator).toUpperCase());
    spellings.add(words.map(capitalize).join(separator));
    spellings.add(words.map(capitalizeWithAcronyms).join(separator));
  }
  spellings.add(first + rest.map(capitalize).join(''));
  spellings.add(first + rest.map(capitalizeWithAcronyms).join(''));
  return [...spellings];
}

/** The set of every spelling of every given key. */
export function sensitiveKeySet(keys: readonly string[]): ReadonlySet<string> {
  const set = new Set<string>();
  for (const key of keys) for (const spelling of spellingsOf(key)) set.add(spelling);
  return set;
}
