// Entry of nazar-triggers.mjs: the scroll, dwell and exit-intent observers (triggers.ts),
// imported by the widget module only for a page view whose surveys may show on those triggers,
// so that a page whose surveys wait for an event or a page view never downloads them.
export { PageTriggers } from './triggers';
