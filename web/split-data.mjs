// Moves the text that only the rest of a split core uses (most error messages, the payload's
// field names) out of the first part's data into the rest's (web/split.mjs). wasm-split moves
// functions only: every string stays in the primary's data segments, though after the split many
// are read by no function of the primary.
//
// A string moves when a constant address in a function of the rest points into it and nothing
// the primary holds does: no i32.const or load/store offset in the primary's code (nor its global
// initializers), and no aligned 32-bit word of the memory its data segments make (a table of
// pointers, which the primary may read; the zeros between and after segments count, so a
// pointer that memory packing cut short, or one straddling two segments, is read whole). Where
// the primary holds an address inside a string (the linker lets a shorter string share another's
// tail), the part before it moves. Strings are the NUL-delimited runs of valid UTF-8 text without
// control characters; everything else stays where it is. The primary's copy is zeroed (brotli
// takes the zeros for next to nothing), and the rest gets active data segments that write the
// strings back at the same addresses when it is instantiated, into
// the memory it imports from the primary. A function of the primary that read a moved string
// before then would read zeros: tests/web/split.test.mjs runs the first question's calls on the
// first part alone, the rest not loaded, against the whole core, byte for byte, and
// tests/web/split_data.test.mjs checks these rules on hand-written modules.
//
//   import { moveStrings } from './split-data.mjs'; moveStrings(primaryPath, restPath)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

function readU32(buf, pos) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = buf[pos++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(b & 0x80)) return { value, pos };
  }
}

function readI32(buf, pos) {
  let value = 0;
  let shift = 0;
  let b;
  do {
    b = buf[pos++];
    value |= (b & 0x7f) << shift;
    shift += 7;
  } while (b & 0x80);
  if (shift < 32 && (b & 0x40)) value |= -1 << shift;
  return { value, pos };
}

function u32(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

function i32(n) {
  const out = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && (b & 0x40))) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

// The sections of a module: id, and where the header and the payload start and end.
function sections(buf) {
  const out = [];
  for (let pos = 8; pos < buf.length;) {
    const header = pos;
    const id = buf[pos++];
    const size = readU32(buf, pos);
    out.push({ id, header, start: size.pos, end: size.pos + size.value });
    pos = size.pos + size.value;
  }
  return out;
}

// The active data segments of memory 0 with a constant address: where each segment's bytes are
// in the file, and the address they are written to.
function dataSegments(buf, where) {
  const section = sections(buf).find((s) => s.id === 11);
  if (!section) return [];
  let { value: count, pos } = readU32(buf, section.start);
  const out = [];
  while (count-- > 0) {
    const flags = buf[pos++];
    if (flags !== 0 || buf[pos] !== 0x41) throw new Error(`split-data: ${where}: a data segment that is not active at a constant address (flags ${flags})`);
    const address = readI32(buf, pos + 1);
    if (buf[address.pos] !== 0x0b) throw new Error(`split-data: ${where}: a data segment's address is not one i32.const`);
    const size = readU32(buf, address.pos + 1);
    if (address.value < 0) throw new Error(`split-data: ${where}: a data segment at a negative address (${address.value})`);
    out.push({ address: address.value, at: size.pos, size: size.value });
    pos = size.pos + size.value;
  }
  return out;
}

// Every constant in the code and globals of `wasm` that could be an address: i32.const operands
// and load/store offsets, from binaryen's text (the data segments' own lines left out).
function codeConstants(wasm) {
  const text = execFileSync('wasm-dis', [wasm], { maxBuffer: 1 << 28 }).toString();
  const out = [];
  for (const line of text.split('\n')) {
    if (line.trimStart().startsWith('(data ')) continue;
    for (const m of line.matchAll(/i32\.const (-?\d+)|offset=(\d+)/g)) out.push(Number(m[1] ?? m[2]) >>> 0);
  }
  return out;
}

const MERGE_GAP = 8;

const utf8 = new TextDecoder('utf-8', { fatal: true });
function isText(bytes) {
  if (bytes.length === 0 || bytes.some((b) => b < 0x20 || b === 0x7f)) return false;
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

// Moves the strings; returns how many, and their bytes.
export function moveStrings(primaryPath, restPath) {
  const primary = fs.readFileSync(primaryPath);
  const rest = fs.readFileSync(restPath);
  // In address order (a module may list them in any): the strings below come out in that order.
  const segments = dataSegments(primary, primaryPath).sort((x, y) => x.address - y.address);
  if (dataSegments(rest, restPath).length > 0) throw new Error(`split-data: ${restPath} has data segments already`);

  // The strings of the primary's data, in address order.
  const strings = [];
  segments.forEach((seg, index) => {
    for (let i = 0; i < seg.size;) {
      let end = i;
      while (end < seg.size && primary[seg.at + end] !== 0) ++end;
      if (end > i) strings.push({ address: seg.address + i, end: seg.address + end, at: seg.at + i, seg: index });
      i = end + 1;
    }
  });
  const find = (address) => {
    let lo = 0;
    let hi = strings.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (strings[mid].end < address) lo = mid + 1;
      else if (strings[mid].address > address) hi = mid - 1;
      else return mid; // address..end, the NUL included: a pointer to the end is an empty string
    }
    return -1;
  };
  // The lowest address the primary holds in each string: the linker merges a string that ends
  // another ("question" in "a survey needs at least 1 question"), so the primary may hold a
  // string's tail only, and its head can still move.
  const held = new Map();
  const hold = (v) => {
    const i = find(v);
    if (i >= 0 && !(held.get(i) <= v)) held.set(i, v);
  };
  codeConstants(primaryPath).forEach(hold);
  // Every aligned word of the memory the segments make that overlaps a segment, the zeros around
  // them included: wasm-opt's memory packing ends a segment before its zeros, so a table's last
  // pointer loses its high bytes, and a word can straddle two segments.
  const byteAt = (address) => {
    let lo = 0;
    let hi = segments.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const seg = segments[mid];
      if (address < seg.address) hi = mid - 1;
      else if (address >= seg.address + seg.size) lo = mid + 1;
      else return primary[seg.at + address - seg.address];
    }
    return 0;
  };
  for (const seg of segments) {
    for (let a = seg.address & ~3; a < seg.address + seg.size; a += 4) {
      hold((byteAt(a) | (byteAt(a + 1) << 8) | (byteAt(a + 2) << 16) | (byteAt(a + 3) << 24)) >>> 0);
    }
  }
  const wanted = new Set();
  for (const v of codeConstants(restPath)) {
    const i = find(v);
    if (i >= 0) wanted.add(i);
  }

  const moved = [];
  strings.forEach((s, i) => {
    const end = Math.min(s.end, held.get(i) ?? s.end);
    if (wanted.has(i) && end > s.address && isText(primary.subarray(s.at, s.at + s.end - s.address))) {
      moved.push({ address: s.address, end, at: s.at, seg: s.seg });
    }
  });
  // Strings of one segment with only NULs between them (at most MERGE_GAP bytes) become one
  // segment of the rest, which writes those zeros again (fewer segment headers).
  const runs = [];
  for (const s of moved) {
    const last = runs.at(-1);
    if (last && last.seg === s.seg && s.address - last.end <= MERGE_GAP &&
        primary.subarray(last.at + last.end - last.address, s.at).every((b) => b === 0)) {
      last.end = s.end;
    } else {
      runs.push({ address: s.address, end: s.end, at: s.at, seg: s.seg });
    }
  }
  const body = [...u32(runs.length)];
  for (const run of runs) {
    const n = run.end - run.address;
    body.push(0, 0x41, ...i32(run.address), 0x0b, ...u32(n), ...primary.subarray(run.at, run.at + n));
  }
  let bytes = 0;
  for (const s of moved) {
    primary.fill(0, s.at, s.at + s.end - s.address);
    bytes += s.end - s.address;
  }

  // The rest's data section goes after its code section, before the custom sections.
  const code = sections(rest).find((s) => s.id === 10);
  if (!code) throw new Error(`split-data: ${restPath} has no code section`);
  const section = Buffer.from([11, ...u32(body.length), ...body]);
  const out = Buffer.concat([rest.subarray(0, code.end), section, rest.subarray(code.end)]);
  if (!WebAssembly.validate(out)) throw new Error(`split-data: ${restPath} does not validate with the moved strings`);
  fs.writeFileSync(primaryPath, primary);
  fs.writeFileSync(restPath, out);
  return { strings: moved.length, bytes };
}
