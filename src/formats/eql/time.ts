/** EQL time units (maxspan) in milliseconds. */
export const TIME_UNITS_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  sec: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  '': 1000, // Python EQL: a bare number is seconds
};

export function timeUnitMs(unit: string): number | undefined {
  return TIME_UNITS_MS[unit.toLowerCase()];
}
