// Entry of nazar-outbox.mjs: the outbox (transport.ts), imported by the loader only when a page
// has something to deliver (a survey shows, or earlier pages left payloads behind).
export { Transport } from './transport';
