import type { RE2JS } from '../third-party/re2';

/** What ajv needs of a regular expression: a `test` that searches the string, as `pattern` prescribes. */
interface PatternMatcher {
  test(value: string): boolean;
  /** ajv keys its compiled patterns by this: it must differ between patterns. */
  toString(): string;
}

const compiled = new Map<string, PatternMatcher>();

/**
 * A regular-expression engine for ajv with the semantics of Go's `regexp` package, which the API server
 * uses for `pattern`: RE2 syntax, `\s` and `\d` ASCII-only, `.` matching anything but `\n`.
 * JavaScript's RegExp differs on exactly those points (`\s` matches U+00A0, `.` stops at `\r`).
 */
export function goRegExp(pattern: string, _flags?: string): PatternMatcher {
  return matcherOf(pattern, true);
}

/**
 * `goRegExp` for the validators the build writes: their patterns were parsed by RE2 when they were built,
 * so a pattern JavaScript reads the same way needs no RE2 at all (RE2 then loads only when one does not).
 */
export function builtGoRegExp(pattern: string, _flags?: string): PatternMatcher {
  return matcherOf(pattern, false);
}

function matcherOf(pattern: string, parseWithRe2: boolean): PatternMatcher {
  let matcher = compiled.get(pattern);
  if (!matcher) {
    // RE2 parses every new pattern, so that a pattern Go refuses is refused here too.
    const re = parseWithRe2 ? re2().compile(pattern) : undefined;
    const native = SAME_IN_BOTH.test(pattern) ? new RegExp(pattern, 'u') : undefined;
    if (native) {
      matcher = { test: (value: string) => native.test(value), toString: () => `go:${pattern}` };
    } else {
      const go = re ?? re2().compile(pattern);
      matcher = { test: (value: string) => go.matcher(value).find(), toString: () => `go:${pattern}` };
    }
    compiled.set(pattern, matcher);
  }
  return matcher;
}

const re2 = (): typeof RE2JS => (require('../third-party/re2') as typeof import('../third-party/re2')).RE2JS;

// Patterns made only of anchors, literals (a non-ASCII one, such as the µ of a duration, is one code point
// to both), escaped punctuation, \d, groups, alternation, quantifiers and character classes of ASCII ranges
// mean the same to JavaScript's RegExp with the u flag (which is faster) as to Go's regexp; anything else
// (\s, \S, \w, \b, an unescaped dot, ...) goes to RE2.
const SAME_IN_BOTH = /^(?:[\^$|()?*+{},\-:/#A-Za-z0-9_\u0080-\uffff]|\\[.\-+*?()[\]{}|^$/\\d]|\[(?:[A-Za-z0-9_.,:\-+/#]|\\[.\-\]\\])+\])*$/;

// How the validators the build writes reach this engine (see ajv's `code.regExp` option).
(goRegExp as any).code = 'require("../validation/go-regexp").builtGoRegExp';
