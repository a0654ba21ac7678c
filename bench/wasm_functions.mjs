// Where the bytes of a shipped wasm module go: each function's code bytes, by name, and the
// same grouped by where the code comes from (nlohmann/json, libc++, libc, Nazar's own by
// namespace). Issue 9 asks for this list to find what the 48 KB goal can give up.
//
//   node bench/wasm_functions.mjs [--build DIR] [--target nazar_web_module] [--top 20]
//
// It relinks the module as the build does (the link command `ninja -t commands` prints for the
// target, in DIR, default build/wasm-release) with --profiling-funcs in place of the closure pass,
// so that the name section survives, into build/bench/wasm-functions/, then runs the build's own
// wasm-opt command from the same line with -g added. The relinked code is a near-copy, not the
// shipped bytes: the tool exits 1 unless its code section is within 16 bytes of the shipped one's size
// and its function count within 2, and
// says how many function bodies have a length the shipped module has not (the function order
// may differ, which changes the widths of call indices).
//
// Sizes are uncompressed code bytes (a function body as the code section holds it); shares are
// of the bodies' total; a group's brotli column is its bodies concatenated and compressed alone,
// which only approximates its share of the compressed module.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const build = path.resolve(opt('--build', path.join(root, 'build', 'wasm-release')));
const target = opt('--target', 'nazar_web_module');
const top = Number(opt('--top', '20'));
const out = path.join(root, 'build', 'bench', 'wasm-functions');
fs.mkdirSync(out, { recursive: true });

// ---- The build's own link command for the target, with names kept.
const commands = execFileSync('ninja', ['-C', build, '-t', 'commands', target], { encoding: 'utf8' })
  .trim().split('\n');
const link = commands.at(-1);
const linked = link.match(/ -o (wasm\/[^ ]+)\.mjs /);
const optimize = link.match(/ && cd [^ ]+ && ([^ ]*wasm-opt .*)$/);
if (!linked || !optimize || !link.includes('--closure 1')) {
  console.error(`wasm_functions: ${target}'s last command in ${build} is not a web module's link`);
  process.exit(2);
}
const shipped = path.join(build, `${linked[1]}.wasm`);
const named = path.join(out, path.basename(linked[1]));
let command = link.replace(/^: && /, '').replace(/ && cd .*$/, '')
  .replace('--closure 1', '--profiling-funcs').replace(` -o ${linked[1]}.mjs `, ` -o ${named}.mjs `);
execFileSync('sh', ['-c', command], { cwd: build, stdio: 'inherit' });
// The build's post-link pass on the shipped file, pointed at the relinked one, names kept.
const pass = optimize[1].split(shipped).join(`${named}.wasm`);
if (pass === optimize[1]) {
  console.error(`wasm_functions: the build's wasm-opt command does not name ${shipped}`);
  process.exit(2);
}
execFileSync('sh', ['-c', `${pass} -g`], { stdio: 'inherit' });

// ---- The binary: imports (functions are numbered after them), code bodies, names.
function read(file) {
  const b = fs.readFileSync(file);
  let p = 8;
  const leb = () => {
    let r = 0;
    let s = 0;
    let x;
    do {
      x = b[p++];
      r += (x & 0x7f) * 2 ** s;
      s += 7;
    } while (x & 0x80);
    return r;
  };
  const name = () => {
    const n = leb();
    const s = b.subarray(p, p + n).toString();
    p += n;
    return s;
  };
  const m = { imports: 0, bodies: [], names: new Map(), code: 0, data: 0, size: b.length };
  while (p < b.length) {
    const id = b[p++];
    const size = leb();
    const start = p;
    if (id === 2) {  // imports: count the functions
      for (let n = leb(), i = 0; i < n; i++) {
        name();
        name();
        const kind = b[p++];
        if (kind === 0) {
          leb();
          m.imports++;
        } else if (kind === 1) {  // table: reftype, limits
          p++;
          if (b[p++] & 1) leb();
          leb();
        } else if (kind === 2) {  // memory: limits
          if (b[p++] & 1) leb();
          leb();
        } else {  // global: valtype, mutability
          p += 2;
        }
      }
    } else if (id === 10) {
      m.code = size;
      for (let n = leb(), i = 0; i < n; i++) {
        const len = leb();
        m.bodies.push(b.subarray(p, p + len));
        p += len;
      }
    } else if (id === 11) {
      m.data = size;
    } else if (id === 0 && name() === 'name') {
      while (p < start + size) {
        const sub = b[p++];
        const len = leb();
        const end = p + len;
        if (sub === 1) {
          for (let n = leb(), i = 0; i < n; i++) {
            const index = leb();
            m.names.set(index, name());
          }
        }
        p = end;
      }
    }
    p = start + size;
  }
  return m;
}

const m = read(`${named}.wasm`);
const ship = read(shipped);
// The function order may differ, which changes the widths of call indices by a byte here and
// there: up to 16 bytes of difference are reported, not refused. With names kept, binaryen may
// also keep a function or two apart that the shipped module merged or dropped (an empty body
// of a name of its own): up to 2 are reported too.
if (Math.abs(m.code - ship.code) > 16 || Math.abs(m.bodies.length - ship.bodies.length) > 2) {
  console.error(`wasm_functions: the relinked code section (${m.code} B, ${m.bodies.length} functions) ` +
    `is not the shipped one's (${ship.code} B, ${ship.bodies.length} functions)`);
  process.exit(1);
}
// Body lengths the shipped module does not have (a multiset difference).
const lengths = new Map();
for (const body of ship.bodies) lengths.set(body.length, (lengths.get(body.length) ?? 0) + 1);
let unmatched = 0;
for (const body of m.bodies) {
  const left = lengths.get(body.length) ?? 0;
  if (left > 0) lengths.set(body.length, left - 1);
  else unmatched++;
}
const functions = m.bodies.map((body, i) => ({ body, name: m.names.get(i + m.imports) ?? `(function ${i + m.imports})` }));

// Where a function's code comes from, by its demangled name.
function group(name) {
  if (name.includes('nlohmann::')) return 'nlohmann/json';
  if (name.startsWith('nazar_')) return 'Nazar C ABI (wasm/)';
  if (/(^|[\s(<*&])nazar::/.test(name)) return 'Nazar core (core/)';
  if (/^(std::|void std::|bool std::|char\* std::|unsigned long std::)/.test(name) || name.includes('std::__2::')) return 'libc++';
  if (name.startsWith('__cxxabiv1') || name.startsWith('__cxa')) return 'libc++abi';
  return 'libc and runtime';
}

const total = m.bodies.reduce((n, body) => n + body.length, 0);
const pct = (x) => `${(100 * x / total).toFixed(1)}%`;
const rel = (f) => path.relative(root, f);
console.log(`${rel(shipped)}: ${ship.size.toLocaleString('en')} B, code ${ship.code.toLocaleString('en')} B ` +
  `(${ship.bodies.length} functions), data ${ship.data.toLocaleString('en')} B; names from ${rel(named)}.wasm, ` +
  `the same code section size${m.code === ship.code ? '' : ' within 16 B'}, ${m.bodies.length} functions, ` +
  `${unmatched} of its bodies of a length the shipped module has not`);
console.log(`\nlargest functions (code bytes; ${top} of ${functions.length})`);
const sorted = [...functions].sort((a, b) => b.body.length - a.body.length);
for (const [i, f] of sorted.slice(0, top).entries()) {
  const shown = f.name.replace(/std::__2::/g, 'std::').replace(/nlohmann::json_abi_v3_11_2::/g, 'nlohmann::')
    .replace(/nlohmann::basic_json<std::map, .*?std::vector<unsigned char, std::allocator<unsigned char> > >/g, 'nlohmann::json')
    .replace(/std::basic_string<char, std::char_traits<char>, std::allocator<char> >/g, 'std::string')
    .replace(/std::basic_string_view<char, std::char_traits<char> >/g, 'std::string_view');
  console.log(`${String(i + 1).padStart(3)} ${String(f.body.length).padStart(7)} ${pct(f.body.length).padStart(6)}  ${shown.length > 140 ? `${shown.slice(0, 137)}...` : shown}`);
}
const groups = new Map();
for (const f of functions) {
  const g = groups.get(group(f.name)) ?? { bytes: 0, count: 0, bodies: [] };
  g.bytes += f.body.length;
  g.count++;
  g.bodies.push(f.body);
  groups.set(group(f.name), g);
}
console.log('\nby origin (code bytes, functions, brotli of the group alone)');
for (const [name, g] of [...groups].sort((a, b) => b[1].bytes - a[1].bytes)) {
  const br = zlib.brotliCompressSync(Buffer.concat(g.bodies), {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 },
  }).length;
  console.log(`${String(g.bytes).padStart(7)} ${pct(g.bytes).padStart(6)} ${String(g.count).padStart(4)} ${String(br).padStart(7)}  ${name}`);
}
