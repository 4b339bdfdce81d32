import { Duration } from 'cdk8s';

/** Renders a Duration as a Go duration string (`24h`, `1h30m`, `10s`, `250ms`), the form the operator parses. */
export function goDuration(duration: Duration): string {
  let ms = duration.toMilliseconds();
  if (!Number.isInteger(ms) || ms <= 0) throw new Error(`duration must be a positive whole number of milliseconds, got ${ms}ms`);
  let out = '';
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1_000], ['ms', 1]] as const) {
    const count = Math.floor(ms / size);
    if (count > 0) out += `${count}${unit}`;
    ms -= count * size;
  }
  return out;
}
