// Downloads and compiles a wasm module, streaming when the server labels it application/wasm.
// Shared by loadCore() and the loader, which starts it the moment a survey may show so that the
// core downloads and compiles while the widget module loads (the two are independent). An HTTP
// failure rejects with an Error carrying `httpStatus` (loadCore makes it a not_found NazarError;
// the loader bundle stays without the status module).

export async function compileWasm(url: string): Promise<WebAssembly.Module> {
  const res = await fetch(url, { credentials: 'omit', referrerPolicy: 'no-referrer' });
  if (!res.ok) {
    throw Object.assign(new Error(`could not load ${url} (HTTP ${res.status})`), { httpStatus: res.status });
  }
  if (
    typeof WebAssembly.compileStreaming === 'function' &&
    (res.headers.get('content-type') ?? '').startsWith('application/wasm')
  ) {
    return WebAssembly.compileStreaming(res);
  }
  return WebAssembly.compile(await res.arrayBuffer());
}
