// The calls a page makes into the widget's core before a survey's first question shows
// (web/src/embed/present.ts: the validate warm-up of the definitions, decide, createSession), for
// every survey of the definitions files the split is profiled with. web/split.mjs runs them
// through an instrumented core to find what the first question runs; tests/web/split.test.mjs
// runs them on the split core's first part alone and checks the answers against the whole core.
//
// Not present.ts's probes '0' and '{}': those are invalid definitions, whose messages the first
// question never needs. In the page they run the parser and the validator's top level up to
// their first error and stop there (their results are not used; nothing waits for the rest).
// Not kiosk mode: a kiosk loads the whole core before its first question (present.ts), and
// every other page would pay for it (0.6 KB brotli).
import fs from 'node:fs';
import path from 'node:path';

// The definitions files: the examples, then the valid fixtures, by name.
export function profileFiles(root) {
  return [
    ...['embed', 'demo-shop', 'kiosk'].map((name) => path.join(root, 'examples', name, 'surveys.json')),
    ...fs.readdirSync(path.join(root, 'tests/fixtures/valid')).filter((n) => n.endsWith('.json'))
      .sort().map((n) => path.join(root, 'tests/fixtures/valid', n)),
  ];
}

// The calls for one definitions file at time `now`, in the order a page makes them: each has a
// name (`what`), `call(core)`, and `session` when it returns a Session, `draws` when the core
// draws a random number for it (a first visitor's sample).
export function* firstQuestionCalls(text, now) {
  yield { what: 'validate', call: (core) => core.validate(text) };
  const json = JSON.parse(text);
  for (const survey of Array.isArray(json.surveys) ? json.surveys : [json]) {
    // The facts of a page the survey shows on.
    const trigger = survey.trigger ?? {};
    const include = trigger.url?.include?.[0];
    const url_path = include ? include.replace(/\*/g, 'x') : '/';
    const facts = trigger.on === 'event' ? { kind: 'event', event: trigger.event }
      : trigger.on && trigger.on !== 'manual' ? { kind: trigger.on } : { kind: 'manual' };
    const returning = { [survey.id]: { displays: 1, last_display_ms: now - 40 * 86400000, sample_draw: 0.5 } };
    for (const history of [{}, returning]) {
      const request = { definition: text, ...(facts.kind === 'manual' ? { survey: survey.id } : {}),
        facts: { ...facts, url_path, now_ms: now }, history };
      yield { what: `decide ${survey.id}${history === returning ? ', returning' : ''}`,
        draws: history !== returning, call: (core) => core.decide(request) };
    }
    for (const locale of ['en', 'fa', 'ar', 'de', 'pt-BR']) {
      for (const inline of [false, true]) {
        const config = { definition: text, survey: survey.id, locale, site: 'shop.example',
          utc_offset_minutes: 210, inline, mirror: true, user_activated: inline };
        yield { what: `${survey.id} ${locale}${inline ? ' inline' : ''}`, session: true,
          call: (core) => core.createSession(config) };
      }
    }
  }
}
