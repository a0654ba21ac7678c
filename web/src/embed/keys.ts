// The outbox's two localStorage names the loader reads (outbox.ts) without the outbox module.
export const LEGACY_KEY = 'nazar:outbox'; // the single-key outbox of earlier versions (imported)
export const PENDING_KEY = 'nazar:pending'; // present while the outbox holds records
