// The wasm core's runtime (web/src/binding/widget-glue.ts, with the names web/build.mjs reads from
// Emscripten's glue), which web/build.mjs bundles into the widget module under this name.
declare module 'nazar-core-glue' {
  const createNazarCore: (options: Record<string, unknown>) => Promise<unknown>;
  export default createNazarCore;
}

// The glue of the analyze module (build/wasm-release/wasm/nazar-analyze.mjs), which web/build.mjs
// bundles into the analyze page's worker under this name.
declare module 'nazar-analyze-glue' {
  const createNazarCore: (options: Record<string, unknown>) => Promise<unknown>;
  export default createNazarCore;
}
