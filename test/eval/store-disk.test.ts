// The sample store on a disk that fills up: short writes and ENOSPC are injected through
// the store's io seam, and where this machine allows it a tiny tmpfs fills up for real. A failed
// append leaves the file at its last whole line, drawing stops, what was drawn is held and retried,
// and a store glued together by an older bom is repaired on open.
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchmarkProblem } from '../../eval/benchmarks.ts';
import { type DrawFn, runSampling, type StoreFailure } from '../../eval/sampler.ts';
import {
  openStore,
  type ProblemRecord,
  parseStore,
  type StoreIo,
  StoreWriteError,
} from '../../eval/store.ts';

const tmpStore = () => join(mkdtempSync(join(tmpdir(), 'bom-disk-')), 'out.jsonl');
const record = (id: string, text = 'so \\boxed{2}'): ProblemRecord => ({
  id,
  prompt: `problem ${id}`,
  gold: '2',
  samples: [{ text }, { text }],
});
const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
const real: StoreIo = {
  writeSync: (fd, b, o, l) => writeSync(fd, b, o, l),
  fsyncSync,
  ftruncateSync,
};

/** Real writes, except that the nth write call (1-based) lands only half its bytes and the next throws ENOSPC. */
function fillingIo(
  failAt: number,
  options: { truncateFails?: boolean } = {},
): StoreIo & { calls: number; full: boolean } {
  const io = {
    calls: 0,
    full: false,
    writeSync(fd: number, b: Uint8Array, o: number, l: number) {
      io.calls++;
      if (io.full) throw enospc();
      if (io.calls === failAt) {
        io.full = true;
        return writeSync(fd, b, o, Math.max(1, Math.floor(l / 2)));
      }
      return writeSync(fd, b, o, l);
    },
    fsyncSync,
    ftruncateSync(fd: number, len: number) {
      if (options.truncateFails && io.full) throw Object.assign(new Error('EIO'), { code: 'EIO' });
      ftruncateSync(fd, len);
    },
  };
  return io;
}

const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '');

describe('sample store on a full disk', () => {
  it('a short write is continued, not counted as done', () => {
    const file = tmpStore();
    let calls = 0;
    const store = openStore(file, {
      durable: false,
      io: {
        ...real,
        // At most 7 bytes per call: many short writes make one whole line.
        writeSync: (fd, b, o, l) => {
          calls++;
          return writeSync(fd, b, o, Math.min(l, 7));
        },
      },
    });
    store.append(record('p1'));
    store.close();
    expect(calls).toBeGreaterThan(5);
    expect(parseStore(readFileSync(file, 'utf8'), file).records.map((r) => r.id)).toEqual(['p1']);
  });

  it('ENOSPC part-way through a line cuts the file back to its last whole line; the next append is clean', () => {
    const file = tmpStore();
    const io = fillingIo(2);
    const store = openStore(file, { durable: false, io });
    store.append(record('p1'));
    const before = readFileSync(file, 'utf8');
    let err: unknown;
    try {
      store.append(record('p2'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StoreWriteError);
    expect(err).toMatchObject({ code: 'store_full', errno: 'ENOSPC', intact: true });
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(store.has('p2')).toBe(false);
    // Space comes back: the record is appended whole, never glued onto a fragment.
    io.full = false;
    store.append(record('p2'));
    store.append(record('p3'));
    store.close();
    expect(lines(file).map((l) => (JSON.parse(l) as ProblemRecord).id)).toEqual(['p1', 'p2', 'p3']);
  });

  it('when the cut-back fails too, the next append removes the fragment first', () => {
    const file = tmpStore();
    const io = fillingIo(2, { truncateFails: true });
    const store = openStore(file, { durable: false, io });
    store.append(record('p1'));
    expect(() => store.append(record('p2'))).toThrow(StoreWriteError);
    expect(readFileSync(file, 'utf8')).not.toMatch(/\n$/); // the fragment is there…
    io.full = false;
    store.append(record('p3'));
    store.close();
    // …and gone once the store could truncate again.
    expect(lines(file).map((l) => (JSON.parse(l) as ProblemRecord).id)).toEqual(['p1', 'p3']);
  });

  it('a store where an older bom glued a record onto a cut one is repaired on open', () => {
    const file = tmpStore();
    const cut = JSON.stringify(record('p2')).slice(0, 40);
    writeFileSync(file, `${JSON.stringify(record('p1'))}\n${cut}${JSON.stringify(record('p3'))}\n`);
    const store = openStore(file, { durable: false });
    expect(store.unglued).toBe(1);
    expect([...store.existing.keys()]).toEqual(['p1', 'p3']);
    expect(store.bad).toEqual([]);
    store.close();
    const reread = parseStore(readFileSync(file, 'utf8'), file);
    expect(reread.bad).toEqual([]);
    expect(reread.records.map((r) => r.id)).toEqual(['p1', 'p3']);
  });
});

const problems: BenchmarkProblem[] = Array.from({ length: 12 }, (_, i) => ({
  id: `p${i}`,
  prompt: `What is ${i} + ${i}?`,
  gold: String(2 * i),
}));

function countingDraw(): DrawFn & { drawn: string[] } {
  const drawn: string[] = [];
  const fn: DrawFn = async (p, indices) => {
    drawn.push(p.id);
    await new Promise((r) => setTimeout(r, 1));
    return {
      samples: indices.map(() => ({ text: `\\boxed{${p.gold}}`, finish_reason: 'stop' })),
      indices: [...indices],
      failures: 0,
      promptTokens: 1,
      completionTokens: indices.length,
    };
  };
  return Object.assign(fn, { drawn });
}

describe('bom sample when the store fills up', () => {
  it('stops drawing, holds what it drew, and writes it once space returns', async () => {
    const file = tmpStore();
    const io = fillingIo(3);
    const store = openStore(file, { durable: false, io });
    const draw = countingDraw();
    const announced: StoreFailure[] = [];
    let retries = 0;
    const report = await runSampling({
      problems,
      store,
      draw,
      n: 2,
      concurrency: 2,
      storeRetry: { intervalMs: 1, holdMs: 60_000 },
      onStoreFailure: (f) => {
        announced.push(f);
        // Space comes back after a few retries.
        const free = () => {
          if (++retries >= 3) io.full = false;
          else setTimeout(free, 1);
        };
        free();
      },
    });
    store.close();
    expect(announced).toHaveLength(1);
    expect(announced[0]!.error.code).toBe('store_full');
    // Drawing stopped: far fewer than 12 problems were paid for.
    expect(draw.drawn.length).toBeLessThan(problems.length);
    const ids = lines(file).map((l) => (JSON.parse(l) as ProblemRecord).id);
    // Everything drawn was written, whole, once: nothing lost, nothing glued.
    expect(ids.sort()).toEqual([...draw.drawn].sort());
    expect(report.written).toBe(draw.drawn.length);
    expect(report.unwritten).toEqual({ problems: 0, samples: 0 });
    expect(report.storeError).toMatch(/no space left/);
    // A rerun draws the rest.
    const again = openStore(file, { durable: false });
    const second = await runSampling({ problems, store: again, draw: countingDraw(), n: 2, concurrency: 2 });
    again.close();
    expect(second.skipped).toBe(draw.drawn.length);
    expect(second.written).toBe(problems.length - draw.drawn.length);
  });

  it('when space never returns, it says how many samples were not written and stores none of them as kept', async () => {
    const file = tmpStore();
    const store = openStore(file, { durable: false, io: fillingIo(2) });
    const draw = countingDraw();
    const report = await runSampling({
      problems,
      store,
      draw,
      n: 2,
      concurrency: 3,
      storeRetry: { intervalMs: 1, holdMs: 5 },
    });
    store.close();
    const ids = lines(file).map((l) => (JSON.parse(l) as ProblemRecord).id);
    expect(report.written).toBe(ids.length);
    expect(report.unwritten.problems).toBe(draw.drawn.length - ids.length);
    expect(report.unwritten.samples).toBe(2 * report.unwritten.problems);
    expect(report.unwritten.problems).toBeGreaterThan(0);
    const lost = report.failed.filter((f) => /not written/.test(f.error));
    expect(lost).toHaveLength(report.unwritten.problems);
    for (const f of lost) expect(f.error).not.toMatch(/kept/);
    expect(parseStore(readFileSync(file, 'utf8'), file).bad).toEqual([]);
  });
});

// A real full disk: a 64 KiB tmpfs, when this process may mount one (root in a container); else skipped.
const mountPoint = join(tmpdir(), `bom-tmpfs-${process.pid}`);
const mounted = (() => {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  try {
    mkdirSync(mountPoint, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
afterAll(() => {
  if (mounted) execFileSync('umount', [mountPoint], { stdio: 'ignore' });
  rmSync(mountPoint, { recursive: true, force: true });
});

describe.skipIf(!mounted)('sample store on a real full tmpfs', () => {
  it('fills up, fails cleanly, and appends whole lines again once space is freed', () => {
    const file = join(mountPoint, 'out.jsonl');
    const store = openStore(file);
    const big = 'x'.repeat(3000);
    let written = 0;
    let failure: unknown;
    for (let i = 0; i < 100 && failure === undefined; i++) {
      try {
        store.append(record(`p${i}`, big));
        written++;
      } catch (err) {
        failure = err;
      }
    }
    expect(failure).toBeInstanceOf(StoreWriteError);
    expect(failure).toMatchObject({ code: 'store_full', intact: true });
    expect(written).toBeGreaterThan(0);
    expect(parseStore(readFileSync(file, 'utf8'), file).records).toHaveLength(written);
    store.close();
    // Free space: a resumed store appends whole lines after the last good one.
    const keep = readFileSync(file, 'utf8').split('\n').slice(0, 2).join('\n');
    const fd = openSync(file, 'r+');
    ftruncateSync(fd, Buffer.byteLength(keep) + 1);
    closeSync(fd);
    const again = openStore(file);
    expect(again.repaired).toBe(false);
    again.append(record('after', big));
    again.close();
    const reread = parseStore(readFileSync(file, 'utf8'), file);
    expect(reread.bad).toEqual([]);
    expect(reread.records.map((r) => r.id)).toEqual(['p0', 'p1', 'after']);
  });
});

describe('bom sample interrupted', () => {
  it("says 'nothing stored', never 'kept', for problems that got no sample", async () => {
    const file = tmpStore();
    const store = openStore(file, { durable: false });
    const controller = new AbortController();
    // The first problem arrives whole; the interrupt lands while the next ones are in flight.
    const draw: DrawFn = async (p, indices, signal) => {
      if (p.id !== 'p0') {
        controller.abort(new Error('interrupted'));
        await new Promise((r) => setTimeout(r, 1));
      }
      const got = signal.aborted ? [] : [...indices];
      return {
        samples: got.map(() => ({ text: '\\boxed{0}' })),
        indices: got,
        failures: 0,
        promptTokens: 0,
        completionTokens: 0,
      };
    };
    const report = await runSampling({
      problems,
      store,
      draw,
      n: 2,
      concurrency: 1,
      signal: controller.signal,
    });
    store.close();
    expect(report.written).toBe(1);
    expect(report.empty).toBe(1);
    expect(report.incomplete).toBe(0);
    expect(report.notDrawn).toBe(problems.length - 2);
    expect(report.failed).toEqual([{ id: 'p1', error: '0/2 samples: interrupted; nothing stored' }]);
  });
});
