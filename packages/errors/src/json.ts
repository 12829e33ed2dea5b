/** A value that survives `JSON.stringify` → `JSON.parse` unchanged. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

/** An object of {@link JsonValue}s: the shape of an error's public `details`. */
export interface JsonObject {
  [key: string]: JsonValue;
}
