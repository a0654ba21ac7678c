// The widget core's runtime, in place of Emscripten's glue (build/wasm-release/wasm/nazar-core.mjs)
// in the widget module: the four functions the core imports (abort, clock_gettime, heap growth,
// getentropy), its static constructors, and its C ABI under the names binding/core.ts calls.
// The binding fetches, compiles and instantiates the module itself (loadCore's instantiateWasm),
// so the glue's own download and instantiation paths were dead code on the first question's path
// (4.5 of the widget module's 32 KB). Emscripten minifies the wasm's import and export names;
// web/build.mjs reads them from its glue at build time (NAZAR_GLUE) and fails the build when it
// cannot, so a new Emscripten that changes them cannot go unnoticed.

import { findExport } from './core';

interface GlueNames {
  module: string; // the import module ("env", minified)
  abort: string;
  clock: string;
  grow: string;
  entropy: string;
  ctors: string; // __wasm_call_ctors
  exports: Record<string, string>; // "_nazar_alloc" -> the export's name in the wasm
}
declare const NAZAR_GLUE: GlueNames;

interface Options {
  instantiateWasm(imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance) => void): unknown;
}

const MAX_HEAP = 2 ** 31;

export default function createNazarCore(options: Options): Promise<Record<string, unknown>> {
  const names = NAZAR_GLUE;
  let memory: WebAssembly.Memory;
  return new Promise((resolve, reject) => {
    const env: Record<string, (...args: number[]) => number> = {
      [names.abort]: () => {
        throw new WebAssembly.RuntimeError('Aborted()');
      },
      // clock_gettime(clock, timespec*): 0 realtime, 1 and 4 monotonic; seconds and nanoseconds
      // as two 32-bit words, as Emscripten's does.
      [names.clock]: (clock, at) => {
        const ms = clock === 0 ? Date.now() : clock === 1 || clock === 4 ? performance.now() : -1;
        if (ms < 0) return -1;
        const words = new Int32Array(memory.buffer, at, 2);
        words[0] = (ms / 1e3) | 0;
        words[1] = ((ms % 1e3) * 1e6) | 0;
        return 0;
      },
      // emscripten_resize_heap(bytes): the new total size. 1.2 times the memory's size when that
      // is more (fewer growths), else exactly what was asked, in 64 KiB pages, never past 2 GiB;
      // when the larger size fails, the exact one. 1 when the memory grew.
      [names.grow]: (wanted) => {
        wanted >>>= 0;
        if (wanted > MAX_HEAP) return 0;
        const have = memory.buffer.byteLength;
        for (const size of [Math.max(wanted, have * 1.2), wanted]) {
          const pages = Math.ceil((Math.min(size, MAX_HEAP) - have) / 65536);
          try {
            memory.grow(pages);
            return 1;
          } catch {
            // too much for this tab: the smaller size next, then 0 (malloc fails)
          }
        }
        return 0;
      },
      [names.entropy]: (at, size) => {
        crypto.getRandomValues(new Uint8Array(memory.buffer, at, size));
        return 0;
      },
    };
    options.instantiateWasm({ [names.module]: env }, (instance) => {
      try {
        const asm = instance.exports as Record<string, unknown>;
        memory = findExport(asm, WebAssembly.Memory)!;
        (asm[names.ctors] as () => void)();
        const module: Record<string, unknown> = { asm };
        for (const [name, key] of Object.entries(names.exports)) module[name] = asm[key];
        resolve(module);
      } catch (e) {
        reject(e);
      }
    });
  });
}
