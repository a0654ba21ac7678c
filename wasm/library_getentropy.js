// getentropy for every module: one crypto.getRandomValues call per request. Emscripten 3.1.6's
// own calls it once per byte (about 1 µs each in Chromium and node), which was half of a Prio3
// shard's time in wasm (bench/prio3_wasm.mjs). The platform host asks for at most 256 bytes per
// call (core/platform/platform_host.cc), well below getRandomValues' 65,536. It needs the global
// `crypto` of browsers, workers and Node 19 or newer (the node test module runs on Node 20);
// Emscripten's fallback to require('crypto') for older Node is gone with it.
mergeInto(LibraryManager.library, {
  getentropy: function (buffer, size) {
    crypto.getRandomValues(HEAPU8.subarray(buffer, buffer + size));
    return 0;
  },
});
