// Papa Parse 5.7 in its own worker, counting from the rows of strings it hands out (one string
// per cell: the cost a general CSV parser has).
import Papa from 'papaparse';
import { serve } from './rpc.js';
import { emptyHistogram, fromCells, kCsat, kCsatN, kCes, kCesN, kNps, kNpsN } from './histogram.js';

const kHeader = 'date,nps,csat,ces,locale,comment';

// Counts rows of strings into per-(month, locale) cells.
class Counter {
  constructor() {
    this.cells = new Map();  // "YYYY-MM\tlocale" -> histogram array
    this.header = true;
    this.line = 0;
  }

  rows(data) {
    for (const r of data) {
      this.line++;
      if (this.header) {
        if (r.join(',').replace(/^\uFEFF/, '') !== kHeader) throw new Error(`papa: header ${r}`);
        this.header = false;
        continue;
      }
      if (r.length !== 6) throw new Error(`papa: row ${this.line} has ${r.length} fields`);
      const key = `${r[0].slice(0, 7)}\t${r[4]}`;
      let h = this.cells.get(key);
      if (!h) this.cells.set(key, (h = emptyHistogram()));
      h[0]++;
      const nps = Number(r[1]);
      if (!(nps >= 0 && nps <= 10 && Number.isInteger(nps)) || r[1] === '') {
        throw new Error(`papa: row ${this.line}: nps "${r[1]}"`);
      }
      h[kNps + nps]++;
      h[kNpsN]++;
      if (r[2] !== '') {
        const v = Number(r[2]);
        if (!(v >= 1 && v <= 5 && Number.isInteger(v))) {
          throw new Error(`papa: row ${this.line}: csat "${r[2]}"`);
        }
        h[kCsat + v - 1]++;
        h[kCsatN]++;
      }
      if (r[3] !== '') {
        const v = Number(r[3]);
        if (!(v >= 1 && v <= 7 && Number.isInteger(v))) {
          throw new Error(`papa: row ${this.line}: ces "${r[3]}"`);
        }
        h[kCes + v - 1]++;
        h[kCesN]++;
      }
    }
  }

  result() {
    return fromCells(Object.fromEntries(this.cells));
  }
}

// Papa's fastest configuration for this job, measured (node 20, the 23 MB file): a `step`
// callback per row, no chunkSize of ours: 0.6 s on the whole string, while a `chunk` callback
// took 6-8 s and a 1 MiB chunkSize on the string 3-5 s (Papa slices a string input into
// chunks and re-joins partial lines). A File is read in Papa's own chunks (LocalChunkSize,
// 10 MB) through FileReader.
function parse(input) {
  return new Promise((resolve, reject) => {
    const counter = new Counter();
    let failed = null;
    const one = [null];
    Papa.parse(input, {
      header: false,
      skipEmptyLines: true,
      step(res, handle) {
        try {
          if (res.errors.length) throw new Error(`papa: ${JSON.stringify(res.errors[0])}`);
          one[0] = res.data;
          counter.rows(one);
        } catch (e) {
          failed = e;
          handle.abort();
        }
      },
      complete: () => (failed ? reject(failed) : resolve(counter.result())),
      error: reject,
    });
  });
}

let bytes = null;
serve({
  async load(file) {
    bytes = new Uint8Array(await file.arrayBuffer());
  },
  // Bytes in memory: decoding them to the string Papa parses is part of the span.
  scoreBytes: () => parse(new TextDecoder().decode(bytes)),
  scoreFile: (file) => parse(file),
});
