// The runtime of forge's TypeScript guards: the helpers that give policy expressions forge's
// meaning rather than JavaScript's. This header is not copied. Below it, sections are separated by
// blank lines and each declares one name; a guards.ts file gets the sections it uses (and the ones
// those use), in this order, so it compiles under `noUnusedLocals` too. `runtime.rs` reads this
// file; its tests check the layout. No section may use a template literal.

/** A value the caller may leave out: `null` and `undefined` both mean missing. */
export type Maybe<T> = T | null | undefined;

/** An exact number: sign × 0.digits × 10^exp, digits without leading or trailing zeros (zero: sign 0, no digits, exp 0). */
interface Exact {
  readonly sign: -1 | 0 | 1;
  readonly digits: string;
  readonly exp: number;
}

/** A total order: negative, zero or positive as `a` sorts before, with or after `b`. */
type Order<T> = (a: T, b: T) => number;

/** Which rows a relation reaches: those of the caller's tenant when the model is tenant-scoped. */
type Keep = (u: Who, row: object) => boolean;

/** True for an object that is not an array: a row. */
function isRow(value: unknown): value is object {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `row[key]` when `row` is a row that holds `key` itself (never an inherited property); else missing. */
function get(row: unknown, key: string): unknown {
  return isRow(row) && Object.prototype.hasOwnProperty.call(row, key)
    ? (row as { readonly [key: string]: unknown })[key]
    : undefined;
}

/** The row a belongs-to relation leads to, when `keep` accepts it; else missing. */
function one(u: Who, value: unknown, keep: Keep): object | undefined {
  return isRow(value) && keep(u, value) ? value : undefined;
}

/** The rows of a to-many relation that `keep` accepts; none when the relation is not an array. */
function many(u: Who, value: unknown, keep: Keep): readonly object[] {
  return Array.isArray(value) ? value.filter((row: unknown): row is object => isRow(row) && keep(u, row)) : [];
}

/** Keeps every row: the model has no tenant column. */
function anyRow(): boolean {
  return true;
}

const UUID_TEXT = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;

/** A uuid, as lower-case text (so equality ignores case, and order is PostgreSQL's). */
function asUuid(v: unknown): string | undefined {
  return typeof v === "string" && UUID_TEXT.test(v) ? v.toLowerCase() : undefined;
}

/** A string or text value. */
function asText(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** A boolean. */
function asBool(v: unknown): boolean | undefined {
  return typeof v === "boolean" ? v : undefined;
}

const NUMBER_TEXT = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]{1,4}))?$/;

/** The exact value of decimal text (`-12.50`, `.5`, `1e+21`); missing when it is not a number. */
function exactOf(text: string): Exact | undefined {
  const m = NUMBER_TEXT.exec(text);
  if (m === null) {
    return undefined;
  }
  const whole = m[2] ?? "";
  const digits = whole + (m[3] ?? "");
  if (digits === "") {
    return undefined;
  }
  const lead = digits.search(/[1-9]/);
  if (lead < 0) {
    return { sign: 0, digits: "", exp: 0 };
  }
  return {
    sign: m[1] === "-" ? -1 : 1,
    digits: digits.slice(lead).replace(/0+$/, ""),
    exp: whole.length - lead + Number(m[4] ?? "0"),
  };
}

/** The exact value of a finite number (as its shortest text, the JSON it came from) or of a bigint. */
function exact(v: unknown): Exact | undefined {
  return (typeof v === "number" && Number.isFinite(v)) || typeof v === "bigint" ? exactOf(String(v)) : undefined;
}

const INT32_MIN: Exact = { sign: -1, digits: "2147483648", exp: 10 };

const INT32_MAX: Exact = { sign: 1, digits: "2147483647", exp: 10 };

const INT64_MIN: Exact = { sign: -1, digits: "9223372036854775808", exp: 19 };

const INT64_MAX: Exact = { sign: 1, digits: "9223372036854775807", exp: 19 };

/** True when `x` is a whole number from `low` to `high`. */
function wholeWithin(x: Exact, low: Exact, high: Exact): boolean {
  return x.digits.length <= x.exp && orderExact(low, x) <= 0 && orderExact(x, high) <= 0;
}

/** An integer (32-bit): a whole number or a bigint, in range. */
function asInteger(v: unknown): Exact | undefined {
  const x = exact(v);
  return x !== undefined && wholeWithin(x, INT32_MIN, INT32_MAX) ? x : undefined;
}

const BIGINT_TEXT = /^-?[0-9]{1,19}$/;

/** A bigint (64-bit): a whole number, a bigint, or a string of decimal digits (as drivers return int8), in range. */
function asBigint(v: unknown): Exact | undefined {
  const x = typeof v === "string" ? (BIGINT_TEXT.test(v) ? exactOf(v) : undefined) : exact(v);
  return x !== undefined && wholeWithin(x, INT64_MIN, INT64_MAX) ? x : undefined;
}

/** A decimal of a record: a finite number, a bigint, or decimal text (as drivers return numeric). */
function asDecimal(v: unknown): Exact | undefined {
  return typeof v === "string" ? exactOf(v) : exact(v);
}

/** A float of a record: any number (double precision also holds infinities and NaN). */
function asFloat(v: unknown): number | undefined {
  return typeof v === "number" ? v : undefined;
}

/** A float of the identity, as PostgreSQL reads a JSON number: finite, and zero or normal. */
function asFloatJson(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) && (v === 0 || Math.abs(v) >= 2.2250738585072014e-308)
    ? v
    : undefined;
}

/** True for a day of the calendar in the years 0001 to 9999. */
function isDay(year: number, month: number, day: number): boolean {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const length = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= length;
}

const DATE_TEXT = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

/** A date: `YYYY-MM-DD` text naming a day of the calendar (such texts sort like their days). */
function asDate(v: unknown): string | undefined {
  if (typeof v !== "string") {
    return undefined;
  }
  const m = DATE_TEXT.exec(v);
  return m !== null && isDay(Number(m[1]), Number(m[2]), Number(m[3])) ? v : undefined;
}

/** Days from 1970-01-01 to a day of the proleptic Gregorian calendar. */
function daysSince1970(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** Microseconds of a second's fraction (`.5`), rounded as PostgreSQL rounds them (half to even). */
function micros(fraction: string): number {
  const x = Number(fraction) * 1000000;
  const low = Math.floor(x);
  const rest = x - low;
  return rest > 0.5 || (rest === 0.5 && low % 2 === 1) ? low + 1 : low;
}

const DATETIME_TEXT =
  /^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?(?:[Zz]|([+-])([0-9]{2}):([0-9]{2}))$/;

/** A datetime, as microseconds since 1970-01-01 UTC: RFC 3339 text with `Z` or an offset, or a valid `Date`. */
function asDatetime(v: unknown): bigint | undefined {
  if (v instanceof Date) {
    const ms = v.getTime();
    return Number.isNaN(ms) ? undefined : BigInt(ms) * 1000n;
  }
  const m = typeof v === "string" ? DATETIME_TEXT.exec(v) : null;
  if (m === null) {
    return undefined;
  }
  const n = (i: number): number => Number(m[i] ?? "0");
  if (!isDay(n(1), n(2), n(3)) || n(4) > 23 || n(5) > 59 || n(6) > 59 || n(9) > 23 || n(10) > 59) {
    return undefined;
  }
  const offset = (m[8] === "-" ? -60 : 60) * (n(9) * 60 + n(10));
  const seconds = daysSince1970(n(1), n(2), n(3)) * 86400 + n(4) * 3600 + n(5) * 60 + n(6) - offset;
  return BigInt(seconds) * 1000000n + BigInt(m[7] === undefined ? 0 : micros(m[7]));
}

/** An enum member, as its position in the declaration (which is the members' order). */
function asMember(v: unknown, members: readonly string[]): number | undefined {
  const i = typeof v === "string" ? members.indexOf(v) : -1;
  return i < 0 ? undefined : i;
}

/** A json value: anything but null (only its presence can be tested). */
function asPresent(v: unknown): unknown {
  return v === null ? undefined : v;
}

/** A bytes value of a record: a `Uint8Array` (a Node `Buffer` is one) or a string; only its presence can be tested. */
function asBytes(v: unknown): unknown {
  return v instanceof Uint8Array || typeof v === "string" ? v : undefined;
}

/** The strings of a list (roles, claims): other items are skipped, and anything but an array is empty. */
function asStrings(v: unknown): readonly string[] {
  return Array.isArray(v) ? v.filter((x: unknown): x is string => typeof x === "string") : [];
}

/** Text that PostgreSQL's jsonb cannot hold: U+0000, or a lone surrogate. */
const NOT_JSONB = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True when PostgreSQL can hold `value` as jsonb; an identity it cannot is anonymous there, so here too. */
function storable(value: unknown): boolean {
  const seen = new Set<object>();
  const todo: unknown[] = [value];
  while (todo.length > 0) {
    const v = todo.pop();
    if (typeof v === "string") {
      if (NOT_JSONB.test(v)) {
        return false;
      }
    } else if (typeof v === "object" && v !== null && !seen.has(v)) {
      seen.add(v);
      for (const [key, item] of Object.entries(v)) {
        todo.push(key, item);
      }
    }
  }
  return true;
}

/** Numbers, bigints, booleans and ASCII text (uuids, dates) in their natural order. */
function orderPlain<T extends number | bigint | boolean | string>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A UTF-16 unit moved so that units compare like the code points they are part of: surrogates (astral characters) after every other unit. */
function codePointRank(unit: number): number {
  return unit >= 0xe000 ? unit - 0x800 : unit >= 0xd800 ? unit + 0x2000 : unit;
}

/** Strings by code point, as PostgreSQL's "C" collation (JavaScript's `<` compares UTF-16 units: U+FF5E after U+1F600). */
function orderText(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      return codePointRank(x) < codePointRank(y) ? -1 : 1;
    }
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/** Exact numbers by value. */
function orderExact(a: Exact, b: Exact): number {
  if (a.sign !== b.sign) {
    return a.sign < b.sign ? -1 : 1;
  }
  const magnitude = a.exp !== b.exp ? (a.exp < b.exp ? -1 : 1) : a.digits < b.digits ? -1 : a.digits > b.digits ? 1 : 0;
  return a.sign < 0 ? -magnitude : magnitude;
}

/** Doubles by value; NaN equals NaN and sorts after every other number, as in PostgreSQL. */
function orderFloat(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) {
    return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** An exact number as the nearest double: a comparison with a float compares doubles, as in PostgreSQL. */
function toFloat(x: Exact | undefined): number | undefined {
  return x === undefined ? undefined : Number((x.sign < 0 ? "-0." : "0.") + (x.digits || "0") + "e" + x.exp);
}

/** `a == b`: false when either is missing. */
function eq<T>(a: T | undefined, b: T | undefined, order: Order<T>): boolean {
  return a !== undefined && b !== undefined && order(a, b) === 0;
}

/** `a != b`: false when either is missing. */
function ne<T>(a: T | undefined, b: T | undefined, order: Order<T>): boolean {
  return a !== undefined && b !== undefined && order(a, b) !== 0;
}

/** `a < b`: false when either is missing. */
function lt<T>(a: T | undefined, b: T | undefined, order: Order<T>): boolean {
  return a !== undefined && b !== undefined && order(a, b) < 0;
}

/** `a <= b`: false when either is missing. */
function le<T>(a: T | undefined, b: T | undefined, order: Order<T>): boolean {
  return a !== undefined && b !== undefined && order(a, b) <= 0;
}

/** `a > b`: false when either is missing. */
function gt<T>(a: T | undefined, b: T | undefined, order: Order<T>): boolean {
  return a !== undefined && b !== undefined && order(a, b) > 0;
}

/** `a >= b`: false when either is missing. */
function ge<T>(a: T | undefined, b: T | undefined, order: Order<T>): boolean {
  return a !== undefined && b !== undefined && order(a, b) >= 0;
}

/** `a in [...]`: false when `a` is missing; a missing member matches nothing. */
function isIn<T>(a: T | undefined, list: readonly (T | undefined)[], order: Order<T>): boolean {
  return list.some((b) => eq(a, b, order));
}

/** `user.roles.includes(v)`, `user.claims.includes(v)`: false when `v` is missing. */
function holds(list: readonly string[], v: string | undefined): boolean {
  return v !== undefined && list.includes(v);
}

/** The user holds one of `roles` (a permission line). */
function holdsAny(held: readonly string[], roles: readonly string[]): boolean {
  return roles.some((role) => held.includes(role));
}
