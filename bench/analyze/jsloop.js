// The hand-written JavaScript baseline of the analyze benchmark: one pass over the bytes of an
// export shaped exactly like bench/gen_issue_export.mjs writes it (date,nps,csat,ces,locale,
// comment), counting NPS 0-10, CSAT 1-5 and CES 1-7 per (month, locale) cell. It is specialised
// to make it as fast as JavaScript gets: fixed-width ISO date read in place, 1-2 digit values,
// a 2-byte locale used as a numeric key, counters in one Int32Array, and no string, array or
// object per row. The comment column is skipped correctly: quoted fields may hold commas,
// doubled quotes and line breaks. Anything off that shape (a bad value, another header, an
// unterminated quote) throws with its byte offset: a specialised loop that cannot be trusted
// on a row must not guess.
import { fromCells } from './histogram.js';

const kYearMonths = 100 * 16;  // month slots of 2000-2099, keyed (year - 2000) * 16 + month
const kOtherMonths = 64;  // month slots for other years, after those
const kMaxLocales = 16;
const kCell = 24;  // per cell: nps 0-10 (0..10), csat 1-5 (11..15), ces 1-7 (16..22), rows (23)
const kHeader = 'date,nps,csat,ces,locale,comment';

/** Fresh counters for one scoring. */
export function newState() {
  return {
    // Cells are indexed by month slot and locale id directly: no lookup for the month.
    counts: new Int32Array((kYearMonths + kOtherMonths) * kMaxLocales * kCell),
    otherMonths: new Map(),  // "YYYY-MM" outside 2000-2099 -> month slot
    localeOf: new Int8Array(65536).fill(-1),  // two locale bytes -> locale id
    otherLocales: new Map(),  // locales that are not 2 bytes long -> locale id
    months: [],  // other months' names by slot
    locales: [],
    header: false,
    offset: 0,  // bytes of the input before the current buffer (for messages)
  };
}

function fail(st, at, what) {
  throw new Error(`js loop: ${what} at byte ${st.offset + at}`);
}

const decoder = new TextDecoder();

// A month outside 2000-2099 (none in the generated file): its slot; -1 when the year is not
// digits.
function otherMonth(st, b, i, m) {
  const y0 = b[i] - 48;
  const y1 = b[i + 1] - 48;
  if (y0 >>> 0 > 9 || y1 >>> 0 > 9) return -1;
  const name = `${decoder.decode(b.subarray(i, i + 4))}-${String(m).padStart(2, '0')}`;
  let slot = st.otherMonths.get(name);
  if (slot === undefined) {
    slot = kYearMonths + st.otherMonths.size;
    if (slot >= kYearMonths + kOtherMonths) fail(st, i, `more than ${kOtherMonths} other months`);
    st.otherMonths.set(name, slot);
    st.months[slot] = name;
  }
  return slot;
}

function newLocale(st, name) {
  const id = st.locales.length;
  if (id >= kMaxLocales) fail(st, 0, `more than ${kMaxLocales} locales`);
  st.locales.push(name);
  return id;
}

// Reads the header (it must be exactly kHeader) at b[i]; returns where the first row starts.
function readHeader(st, b, i) {
  const e = b.indexOf(10, i);
  const head = decoder.decode(b.subarray(i, e)).replace(/^\uFEFF/, '').replace(/\r$/, '');
  if (head !== kHeader) fail(st, i, `header is not "${kHeader}"`);
  st.header = true;
  return e + 1;
}

// A locale that is not two bytes long, ending at the next comma: its id. Sets st.next.
function otherLocale(st, b, i, lim) {
  const e = b.indexOf(44, i);
  if (e < 0 || e >= lim || b.subarray(i, e).includes(10) || b.subarray(i, e).includes(34)) {
    return -1;
  }
  const name = decoder.decode(b.subarray(i, e));
  let id = st.otherLocales.get(name);
  if (id === undefined) st.otherLocales.set(name, (id = newLocale(st, name)));
  st.next = e + 1;
  return id;
}

const kProblems = ['', 'bad date', 'bad nps', 'bad csat', 'bad ces', 'bad locale',
  'text after a closing quote'];

/**
 * Scores the complete rows of b[start, end); returns where the first incomplete row starts
 * (end when none), so a caller streaming chunks carries b[returned, end) into the next chunk.
 * The loop has one way out for a bad row (`problem`), so that its body stays small enough for
 * V8 to optimise it early.
 */
export function scoreChunk(st, b, start, end) {
  const lim = b.lastIndexOf(10, end - 1) + 1;  // every row processed ends before lim
  let i = start;
  if (lim <= i) return start;
  if (!st.header) i = readHeader(st, b, i);
  const C = st.counts;
  const localeOf = st.localeOf;
  let problem = 0;
  let at = 0;
  while (i < lim) {
    const row = i;
    // date: YYYY-MM-DD, the month is the key
    // (years 2000-2099 keyed by their last two digits; others through a map)
    const m = b[i + 5] * 10 + b[i + 6] - 528;
    const y = b[i + 2] * 10 + b[i + 3] - 528;
    if (b[i + 4] !== 45 || b[i + 7] !== 45 || b[i + 10] !== 44 || m >>> 0 > 12 || m === 0 ||
        y >>> 0 > 99) {
      problem = 1;
      at = i;
      break;
    }
    let mid;
    if (b[i] === 50 && b[i + 1] === 48) {
      mid = (y << 4) | m;
    } else {
      mid = otherMonth(st, b, i, m);
      if (mid < 0) {
        problem = 1;
        at = i;
        break;
      }
    }
    // nps: 0-9 or 10
    let v = b[i + 11] - 48;
    i += 12;
    if (b[i] === 44) {
      i++;
    } else if (v === 1 && b[i] === 48 && b[i + 1] === 44) {
      v = 10;
      i += 2;
    } else {
      v = -1;
    }
    if (v >>> 0 > 10) {
      problem = 2;
      at = row + 11;
      break;
    }
    // csat: empty or 1-5
    let cs = -1;
    if (b[i] !== 44) {
      cs = b[i] - 49;
      i++;
      if (cs >>> 0 > 4 || b[i] !== 44) {
        problem = 3;
        at = i - 1;
        break;
      }
    }
    i++;
    // ces: empty or 1-7
    let ce = -1;
    if (b[i] !== 44) {
      ce = b[i] - 49;
      i++;
      if (ce >>> 0 > 6 || b[i] !== 44) {
        problem = 4;
        at = i - 1;
        break;
      }
    }
    i++;
    // locale: two bytes as a number; other lengths through a map (none in the generated file)
    let lid;
    if (b[i + 2] === 44 && b[i] !== 44 && b[i + 1] !== 44) {
      const k = (b[i] << 8) | b[i + 1];
      lid = localeOf[k];
      if (lid < 0) lid = localeOf[k] = newLocale(st, decoder.decode(b.subarray(i, i + 2)));
      i += 3;
    } else {
      lid = otherLocale(st, b, i, lim);
      if (lid < 0) {
        problem = 5;
        at = i;
        break;
      }
      i = st.next;
    }
    // comment: skipped; quoted ones to their closing quote (doubled quotes are content)
    const c = b[i];
    if (c === 10) {
      i++;
    } else if (c === 34) {
      let q = i;
      for (;;) {
        q = b.indexOf(34, q + 1);
        if (q < 0 || q >= lim) return row;  // the row goes on in the next chunk
        if (b[q + 1] !== 34) break;
        q++;
      }
      i = q + 1;
      if (b[i] === 13) i++;
      if (b[i] !== 10) {
        problem = 6;
        at = i;
        break;
      }
      i++;
    } else {
      i = b.indexOf(10, i) + 1;  // an unquoted comment (or CR) runs to the line end
    }
    const cell = (mid * kMaxLocales + lid) * kCell;
    C[cell + v]++;
    if (cs >= 0) C[cell + 11 + cs]++;
    if (ce >= 0) C[cell + 16 + ce]++;
    C[cell + 23]++;
  }
  if (problem) fail(st, at, kProblems[problem]);
  return i;
}

/** The histogram set (histogram.js) of what `st` counted. */
export function finish(st) {
  const cells = {};
  const c = st.counts;
  for (let mid = 0; mid < kYearMonths + kOtherMonths; mid++) {
    for (let lid = 0; lid < st.locales.length; lid++) {
      const at = (mid * kMaxLocales + lid) * kCell;
      if (c[at + 23] === 0) continue;
      const month = mid < kYearMonths ?
        `20${String(mid >> 4).padStart(2, '0')}-${String(mid & 15).padStart(2, '0')}` :
        st.months[mid];
      const sum = (from, n) => {
        let s = 0;
        for (let k = 0; k < n; k++) s += c[at + from + k];
        return s;
      };
      cells[`${month}\t${st.locales[lid]}`] = [c[at + 23],
        ...c.subarray(at, at + 11), sum(0, 11),
        ...c.subarray(at + 11, at + 16), sum(11, 5),
        ...c.subarray(at + 16, at + 23), sum(16, 7)];
    }
  }
  return fromCells(cells);
}

// Ends the input: a last row without a line break gets one.
function scoreTail(st, b, start) {
  if (start >= b.length) return;
  const tail = new Uint8Array(b.length - start + 1);
  tail.set(b.subarray(start));
  tail[tail.length - 1] = 10;
  st.offset += start;
  if (scoreChunk(st, tail, 0, tail.length) !== tail.length) fail(st, 0, 'unterminated quote');
}

/** Scores a whole export already in memory. */
export function scoreBuffer(b) {
  const st = newState();
  scoreTail(st, b, scoreChunk(st, b, 0, b.length));
  return finish(st);
}

/**
 * Scores a ReadableStream of Uint8Array chunks (File.stream()) as the chunks arrive. The row
 * that straddles two chunks is scored from a small joined copy; the chunks themselves are
 * scored in place.
 */
export async function scoreStream(stream) {
  const st = newState();
  const reader = stream.getReader();
  let carry = null;  // bytes of an incomplete row
  let pos = 0;  // input offset of the current chunk's first byte
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    let b = value;
    let start = 0;
    st.offset = pos;
    if (carry) {
      // Score the carried row joined with the chunk's first line; if the row is still open
      // (a quoted line break), join the whole chunk instead.
      st.offset = pos - carry.length;
      const e = value.indexOf(10);
      let joined = e >= 0 ? new Uint8Array(carry.length + e + 1) : null;
      if (joined) {
        joined.set(carry);
        joined.set(value.subarray(0, e + 1), carry.length);
      }
      if (joined && scoreChunk(st, joined, 0, joined.length) === joined.length) {
        st.offset = pos;
        start = e + 1;
      } else {
        b = new Uint8Array(carry.length + value.length);
        b.set(carry);
        b.set(value, carry.length);
      }
    }
    const stop = scoreChunk(st, b, start, b.length);
    carry = stop < b.length ? b.slice(stop) : null;
    pos += value.length;
  }
  if (carry) {
    st.offset = pos - carry.length;
    scoreTail(st, carry, 0);
  }
  return finish(st);
}
