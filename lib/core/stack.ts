import * as path from 'path';
import { IConstruct } from 'constructs';

// What an error of the user's program shows besides its message: the user's own lines. A stack trace of a
// mistake made in main.ts is mostly frames of this library, cdk8s, constructs, ts-node and Node; they say
// where the library noticed, not where to fix. The message comes first and then at most MAX_FRAMES lines of
// the user's files; CDK8S_OMNIA_DEBUG=1 keeps the whole stack for someone debugging the library.

/** The environment variable that keeps the library's frames in its errors. */
export const DEBUG_VARIABLE = 'CDK8S_OMNIA_DEBUG';

/** The most frame lines an error of the user's program shows. */
export const MAX_FRAMES = 3;

/**
 * Frames captured for a creation site: enough to pass two calls of this library (`fromDirectory` calls
 * `fromFile`, which makes the PromptPack) and few, since every construct of this library captures them.
 */
const SITE_FRAMES = 3;

/** Frames captured for an error: the user's frames lie under the library's, however deep they go. */
const ERROR_FRAMES = 50;

/** Whether the library's frames are kept in errors (`CDK8S_OMNIA_DEBUG` set, and not to 0 or false). */
export function debugging(env: { [name: string]: string | undefined } = process.env): boolean {
  const value = env[DEBUG_VARIABLE]?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

/** Where one stack frame line points. */
export interface FrameLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/**
 * The location of a V8 stack frame line: `at fn (file:line:column)`, `at file:line:column`, or for code run
 * by `eval` the location inside the evaluated code. Undefined for a line that is not a frame or names no
 * position (`at Promise.all (index 0)`, `at fn (native)`).
 */
export function parseFrame(text: string): FrameLocation | undefined {
  const frame = /^\s*at (?:async )?(.*)$/.exec(text)?.[1];
  if (frame === undefined) return undefined;
  let location = /^.*? \((.*)\)$/.exec(frame)?.[1] ?? frame;
  // `eval at fn (file:1:2), <anonymous>:3:4`: the position in the evaluated code.
  const evaluated = /^eval at .*, ([^,]*)$/.exec(location);
  if (evaluated) location = evaluated[1];
  const match = /^(.+):(\d+):(\d+)$/.exec(location);
  return match ? { file: match[1], line: Number(match[2]), column: Number(match[3]) } : undefined;
}

/** The directories of this library's own code: lib/ and imports/ of its package. */
function libraryDirectories(): string[] {
  const root = path.resolve(__dirname, '..', '..');
  return [path.join(root, 'lib') + path.sep, path.join(root, 'imports') + path.sep];
}

/**
 * Whether a frame's file is the user's: not Node's own (`node:…`, `internal/…`), not code without a file,
 * not a dependency (under `node_modules`: cdk8s, constructs, ts-node…), and not this library.
 */
export function isUserFile(file: string, library: string[] = libraryDirectories()): boolean {
  if (file.startsWith('node:') || file.startsWith('internal/') || file.startsWith('<') || !/[/\\]/.test(file)) return false;
  let filePath = file;
  if (file.startsWith('file://')) {
    try {
      filePath = decodeURIComponent(new URL(file).pathname);
    } catch {
      return false;
    }
  }
  if (/[/\\]node_modules[/\\]/.test(filePath)) return false;
  return !library.some((dir) => filePath.startsWith(dir));
}

/** The frame lines of a stack that are the user's, innermost first, as `    at file:line:column`. */
export function userFrames(stack: string | undefined, library: string[] = libraryDirectories()): string[] {
  const frames: string[] = [];
  for (const text of (stack ?? '').split('\n')) {
    const location = parseFrame(text);
    // Written without a function name: a frame `at fn (file:line:column)` makes ts-node (source-map-support)
    // print that file's line above the error, and the message would no longer come first.
    if (location && isUserFile(location.file, library)) frames.push(`    at ${location.file}:${location.line}:${location.column}`);
  }
  return frames;
}

/** An error's stack as printed for its user: the first line(s) of the original, then `frames`. */
export function withFrames(error: Error, frames: string[]): string {
  return [`${error.name}: ${error.message}`, ...frames].join('\n');
}

/** Runs `capture` with at least `frames` frames captured in stack traces. */
function withStackTraceLimit<T>(frames: number, capture: () => T): T {
  const limit = Error.stackTraceLimit;
  if (typeof limit === 'number' && limit >= frames) return capture();
  Error.stackTraceLimit = frames;
  try {
    return capture();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** A new Error whose stack reaches the user's frames, without the frames of `above` and its callees. */
export function deepError(message: string, above: Function): Error {
  return withStackTraceLimit(ERROR_FRAMES, () => {
    const error = new Error(message);
    Error.captureStackTrace(error, above);
    return error;
  });
}

const SITE = Symbol.for('cdk8s-omnia.creationSite');

/**
 * Records where `construct` is made, for errors found at synth: the stack under the call of `maker` (by
 * default the construct's class), of which only a few frames are captured and none is formatted until an
 * error reads them. A construct made inside one that has a site is not recorded (it was made where that one
 * was), unless `always`: a companion is made by a later call on its agent.
 */
export function recordCreationSite(construct: IConstruct, maker: Function = construct.constructor, always = false): void {
  if (!always && (construct.node.scope as any)?.[SITE]) return;
  const site: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = SITE_FRAMES;
  Error.captureStackTrace(site, maker);
  Error.stackTraceLimit = limit;
  Object.defineProperty(construct, SITE, { value: site, configurable: true });
}

/**
 * The user's lines where `construct` was made: its own recorded site, else that of the nearest enclosing
 * construct whose site is in the user's files. Empty when none is known (a construct of the user's own).
 */
export function creationFrames(construct: IConstruct, library: string[] = libraryDirectories()): string[] {
  for (let c: IConstruct | undefined = construct; c; c = c.node.scope) {
    const site = (c as any)[SITE] as { stack?: string } | undefined;
    const frames = site ? userFrames(site.stack, library) : [];
    if (frames.length) return frames;
  }
  return [];
}

/**
 * The frames an error shows: the user's frames of the call that threw (`error`'s own stack, unless
 * `callStack` is false: at synth it says only `app.synth()`), then where the constructs at fault were made,
 * without repeats and at most MAX_FRAMES. For one construct, up to MAX_FRAMES lines of its creation; for
 * several, the first line of each.
 */
export function mistakeFrames(error: Error, constructs: IConstruct[], callStack: boolean, library: string[] = libraryDirectories()): string[] {
  const frames: string[] = [];
  const add = (frame: string | undefined) => {
    if (frame !== undefined && !frames.includes(frame) && frames.length < MAX_FRAMES) frames.push(frame);
  };
  if (callStack) userFrames(error.stack, library).forEach(add);
  const sites = [...new Set(constructs)].map((c) => creationFrames(c, library)).filter((site) => site.length);
  if (sites.length === 1) sites[0].forEach(add);
  else sites.forEach((site) => add(site[0]));
  // No site known (objects the user made with cdk8s alone): the user's lines of the call, `app.synth()` say.
  if (!frames.length && !callStack) userFrames(error.stack, library).forEach(add);
  return frames;
}
