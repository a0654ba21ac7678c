// Entry of nazar-widget.mjs: what the loader imports lazily when a survey is about to show.
export { loadCore, NazarCore, Session, isCspError, CSP_MESSAGE } from '../binding/core';
// The wasm core's glue, bundled in (web/build.mjs); the wasm itself is fetched by loadCore.
export { default as createNazarCore } from 'nazar-core-glue';
export { Widget } from './widget';
export { ViewApplier } from './view';
export { NazarError, StatusCode } from '../binding/status';
export { Presenter } from './present';
