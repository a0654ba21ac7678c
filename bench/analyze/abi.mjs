// The analyze module (nazar-analyze.mjs and .wasm in `dir`, a wasm-release build's wasm/ folder)
// loaded in node and driven over its C ABI (wasm/nazar_abi.h), with its memory and function table
// at hand so that an import's compiled record kernel can be put to use as the page's binding does
// (web/src/binding/core.ts installKernel). For the node benchmarks (analyze_floor.mjs,
// analyze_steps.mjs), which time the module without the binding around it.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export async function loadAnalyzeModule(dir) {
  let exports;
  const wasm = fs.readFileSync(path.join(dir, 'nazar-analyze.wasm'));
  const m = await (await import(pathToFileURL(path.join(dir, 'nazar-analyze.mjs')).href)).default({
    instantiateWasm(imports, receive) {
      WebAssembly.instantiate(wasm, imports).then((s) => {
        exports = s.instance.exports;
        receive(s.instance, s.module);
      });
      return {};
    },
  });
  const memory = Object.values(exports).find((v) => v instanceof WebAssembly.Memory);
  const table = Object.values(exports).find((v) => v instanceof WebAssembly.Table);
  // The response slot's bytes, copied.
  const slot = () => m.HEAPU8.slice(m._nazar_response_data(), m._nazar_response_data() + m._nazar_response_size());
  const check = (status) => {
    if (status !== 0) throw new Error(`status ${status}: ${new TextDecoder().decode(slot())}`);
  };
  // fn(...before, ptr, size) with `input` copied into the module's memory: the slot's bytes.
  const call = (fn, input, ...before) => {
    const p = m._nazar_alloc(input.length || 1);
    m.HEAPU8.set(input, p);
    const status = fn(...before, p, input.length);
    m._nazar_free(p);
    check(status);
    return slot();
  };
  let kernel = 0;  // its table index, compiled once (the binding caches it by its bytes too)
  return {
    m,
    slot,
    check,
    call,
    // A new import with these nazar_import_begin options: its handle.
    begin: (options) => JSON.parse(new TextDecoder().decode(
      call(m._nazar_import_begin, new TextEncoder().encode(JSON.stringify(options))))).handle,
    // Puts the record kernel the module offers for import `handle` to use (after its header).
    useKernel(handle) {
      check(m._nazar_import_kernel(handle));
      const code = slot();
      if (!code.length) throw new Error('the module offered no record kernel');
      if (!kernel) {
        const run = new WebAssembly.Instance(new WebAssembly.Module(code), { env: { memory } }).exports.run;
        kernel = table.grow(1);
        table.set(kernel, run);
      }
      check(m._nazar_import_use_kernel(handle, kernel));
    },
  };
}
