// The emscripten glue of the wasm core (build/wasm-release/wasm/nazar-core.mjs), which
// web/build.mjs bundles into the widget module under this name.
declare module 'nazar-core-glue' {
  const createNazarCore: (options: Record<string, unknown>) => Promise<unknown>;
  export default createNazarCore;
}
