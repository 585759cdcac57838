// Units of measure: a small table with exact rational factors to SI base units, so `5 cm` = `0.05 m` and
// `2 h` = `120 min` compare exactly, and two different dimensions never compare equal.
//
// Why not a units library: js-quantities (the best-kept candidate that installs here) adds ~14 ms to every
// start-up of the CLI and the server, converts with floats (0.05 m comes back as 0.05000000000000000277),
// and knows neither money nor the words answers are written with (`sq ft`, `dollars`); we would keep a
// word table anyway. Answers use a few dozen units; this table is them.

export interface Unit {
  /** Dimension as exponents of base dimensions, e.g. `L2` (area), `L1T-1` (speed), `$1` (money). */
  readonly dim: string;
  /** Exact factor to the base unit of that dimension: value in base units = number × n / d. */
  readonly n: bigint;
  readonly d: bigint;
  /** Canonical spelling, for keys and reports. */
  readonly name: string;
}

type Base = { dims: Record<string, number>; n: bigint; d: bigint };

const B = (dim: string, n: bigint | number, d: bigint | number = 1n): Base => ({
  dims: { [dim]: 1 },
  n: BigInt(n),
  d: BigInt(d),
});

// Length in metres, mass in grams, time in seconds, volume in millilitres (as cm³), money in cents.
const WORDS: Record<string, Base> = {};
const add = (names: string, b: Base): void => {
  for (const w of names.split(' ')) WORDS[w] = b;
};
add('mm millimeter millimeters millimetre millimetres', B('L', 1, 1000));
add('cm centimeter centimeters centimetre centimetres', B('L', 1, 100));
add('m meter meters metre metres', B('L', 1));
add('km kilometer kilometers kilometre kilometres', B('L', 1000));
add('in inch inches', B('L', 254, 10000));
add('ft foot feet', B('L', 3048, 10000));
add('yd yard yards', B('L', 9144, 10000));
add('mi mile miles', B('L', 1609344, 1000));
add('mg milligram milligrams', B('M', 1, 1000));
add('g gram grams', B('M', 1));
add('kg kilogram kilograms', B('M', 1000));
add('lb lbs pound pounds', B('M', 45359237, 100000));
add('oz ounce ounces', B('M', 45359237, 1600000));
add('s sec secs second seconds', B('T', 1));
add('min mins minute minutes', B('T', 60));
add('h hr hrs hour hours', B('T', 3600));
add('day days', B('T', 86400));
add('week weeks', B('T', 604800));
// Months and years have no fixed length in days: their own dimension, 12 months = 1 year.
add('month months', B('Y', 1));
add('year years yr yrs', B('Y', 12));
add('ml mL milliliter milliliters millilitre millilitres', { dims: { L: 3 }, n: 1n, d: 1000000n });
add('l L liter liters litre litres', { dims: { L: 3 }, n: 1n, d: 1000n });
add('dollar dollars', B('$', 100));
add('cent cents', B('$', 1));
add('mph', { dims: { L: 1, T: -1 }, n: 1609344n, d: 3600000n });
add('kph', { dims: { L: 1, T: -1 }, n: 1000n, d: 3600n });

const gcd = (a: bigint, b: bigint): bigint => {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y) [x, y] = [y, x % y];
  return x || 1n;
};

function power(b: Base, k: number): Base {
  const dims: Record<string, number> = {};
  for (const [d, e] of Object.entries(b.dims)) dims[d] = e * k;
  if (k >= 0) return { dims, n: b.n ** BigInt(k), d: b.d ** BigInt(k) };
  return { dims, n: b.d ** BigInt(-k), d: b.n ** BigInt(-k) };
}

function times(a: Base, b: Base): Base {
  const dims: Record<string, number> = { ...a.dims };
  for (const [d, e] of Object.entries(b.dims)) dims[d] = (dims[d] ?? 0) + e;
  return { dims, n: a.n * b.n, d: a.d * b.d };
}

/**
 * A unit phrase (`cm`, `square feet`, `sq ft`, `cm^2`, `km/h`, `miles per hour`, `m/s^2`) as a Unit, or null
 * when it is not a unit of measure (count nouns such as `apples`, `ways`, `people` are not units: they
 * are dropped and the number compares alone).
 */
export function parseUnit(phrase: string): Unit | null {
  const s = phrase
    .trim()
    .replace(/\s*\^\s*\{?\s*([23])\s*\}?/g, '^$1')
    .replace(/\s*\/\s*/g, ' per ');
  const words = s.split(/\s+/).filter((w) => w !== '');
  if (words.length === 0 || words.length > 6) return null;
  let acc: Base = { dims: {}, n: 1n, d: 1n };
  let sign = 1;
  let pending = 1;
  let any = false;
  for (const raw of words) {
    const w = raw.replace(/\.$/, '');
    if (w === 'per') {
      if (!any || sign < 0) return null;
      sign = -1;
      continue;
    }
    if (w === 'square' || w === 'sq') {
      pending = 2;
      continue;
    }
    if (w === 'cubic' || w === 'cu') {
      pending = 3;
      continue;
    }
    const m = /^([A-Za-z]+)(?:\^([23]))?$/.exec(w);
    if (!m) return null;
    const base = WORDS[m[1]!] ?? WORDS[m[1]!.toLowerCase()];
    if (!base) return null;
    const k = (m[2] ? Number(m[2]) : 1) * pending * sign;
    acc = times(acc, power(base, k));
    pending = 1;
    any = true;
  }
  if (!any || pending !== 1) return null;
  const dim = Object.entries(acc.dims)
    .filter(([, e]) => e !== 0)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([d, e]) => `${d}${e}`)
    .join('');
  if (dim === '') return null;
  const g = gcd(acc.n, acc.d);
  return { dim, n: acc.n / g, d: acc.d / g, name: words.join(' ') };
}
