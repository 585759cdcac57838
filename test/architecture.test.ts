// The dependency rule, checked: the layers of docs/architecture.md hold in the code, not only in
// the prose. A failure names the file and the import that breaks the rule.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

function filesUnder(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

interface Import {
  readonly file: string;
  readonly spec: string;
  /** Repository-relative target for relative imports; null for packages and node: modules. */
  readonly target: string | null;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(join(root, file), 'utf8');
  const out: Import[] = [];
  for (const m of text.matchAll(
    /(?:^|\s)(?:import|export)\s[^'"]*?from\s*'([^']+)'|import\(\s*'([^']+)'\s*\)/g,
  )) {
    const spec = (m[1] ?? m[2])!;
    const target = spec.startsWith('.') ? relative(root, resolve(dirname(join(root, file)), spec)) : null;
    out.push({ file, spec, target });
  }
  return out;
}

const production = [...filesUnder('src'), ...filesUnder('strategies'), ...filesUnder('eval')];
const imports = production.flatMap(importsOf);
const inside = (path: string, dir: string) => path === dir || path.startsWith(`${dir}${sep}`);
const show = (list: readonly Import[]) => list.map((i) => `${i.file} imports '${i.spec}'`);

describe('the dependency rule', () => {
  it('the imports are found (the checks below are not vacuous)', () => {
    expect(imports.length).toBeGreaterThan(300);
    expect(
      imports.some((i) => i.file.startsWith('strategies') && i.target === join('src', 'core', 'index.ts')),
    ).toBe(true);
  });

  it('src/core imports nothing of ours outside itself', () => {
    const bad = imports.filter(
      (i) => inside(i.file, 'src/core') && i.target !== null && !inside(i.target, 'src/core'),
    );
    expect(show(bad)).toEqual([]);
  });

  it('strategies/ and src/answers/ are pure: only the vocabulary, zod and themselves', () => {
    for (const dir of ['strategies', 'src/answers']) {
      const bad = imports.filter(
        (i) =>
          inside(i.file, dir) &&
          (i.target === null
            ? i.spec !== 'zod'
            : !inside(i.target, dir) && i.target !== join('src', 'core', 'index.ts')),
      );
      expect(show(bad), dir).toEqual([]);
    }
  });

  it('nothing imports test/ or bench/, and only the commands import eval/, through its door', () => {
    const bad = imports.filter(
      (i) =>
        i.target !== null &&
        (inside(i.target, 'test') ||
          inside(i.target, 'bench') ||
          (inside(i.target, 'eval') &&
            !inside(i.file, 'eval') &&
            !(inside(i.file, 'src/commands') && i.target === join('eval', 'index.ts')))),
    );
    expect(show(bad)).toEqual([]);
  });

  it('each named layer is reached only through its index.ts', () => {
    const doors = [
      'src/core',
      'src/selection',
      'src/models',
      'src/reward',
      'src/answers',
      'src/upstream',
      'src/upstream/replay',
      'src/server',
      'eval',
    ];
    const bad = imports.filter((i) =>
      doors.some(
        (d) =>
          i.target !== null && inside(i.target, d) && !inside(i.file, d) && i.target !== join(d, 'index.ts'),
      ),
    );
    expect(show(bad)).toEqual([]);
  });

  it('the selection layer does not know the server or the offline tools', () => {
    const bad = imports.filter(
      (i) =>
        inside(i.file, 'src/selection') &&
        i.target !== null &&
        ['src/server', 'src/commands', 'src/upstream', 'eval'].some((d) => inside(i.target!, d)),
    );
    expect(show(bad)).toEqual([]);
  });
});
