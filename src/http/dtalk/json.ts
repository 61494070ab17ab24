// JSON without losing 64-bit digits, both ways. dtalk carries int64 values
// (log ids, trace ids, 9223372036854775807 for a permanent mute) as bare JSON
// numbers; JavaScript numbers hold only 53 bits. Parsing keeps any integer
// literal that is not exact as a bigint (JSON.parse source-text access), and
// writing emits bigints as raw digits (JSON.rawJSON). Output is compact: the
// desktop client's `"logId":(\d*)` rewrite needs no space after the colon.

interface ReviverContext {
  source?: string;
}

type RawJson = { readonly rawJSON: string };
const rawJSON = (JSON as unknown as { rawJSON(text: string): RawJson }).rawJSON;

export function parseJson(text: string): unknown {
  return JSON.parse(text, function (this: unknown, _key: string, value: unknown, ctx?: ReviverContext) {
    if (typeof value === 'number' && !Number.isSafeInteger(value) && ctx?.source && /^-?[0-9]+$/.test(ctx.source)) {
      return BigInt(ctx.source);
    }
    return value;
  } as (this: unknown, key: string, value: unknown) => unknown);
}

export function stringifyJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? rawJSON(v.toString()) : v));
}

/** A body that was announced as JSON but did not parse; binding reports it as -1012 after auth. */
export class UnparsableBody {
  readonly reason: string;
  constructor(reason: string) {
    this.reason = reason;
  }
}
