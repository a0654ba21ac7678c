// The loader's pre-filter: could any survey in the file show for a fact of this kind on this
// path? It exists only so that pages no survey can target never download the widget module and
// the wasm core. It is conservative: it answers "no" only where the core's decision
// (core/src/targeting.cc) is certainly no, from the trigger kind, the event name and the url
// rules; history, recontact, sampling and thresholds stay the core's. Anything it does not
// understand (a malformed entry, an unknown shape) is a "maybe", so the core reports it.
// tests/fixtures/targeting/prefilter.json holds the cases both this file (tests/web) and the
// core (tests/core/targeting_test.cc) are checked against.

export interface PrefilterFacts {
  kind: string;
  event?: string;
  url_path: string;
}

// The page's path as url rules see it: location.pathname percent-decoded once ("/%D9%81.../"
// becomes "/ف.../"), as the definitions write paths. A malformed escape keeps the raw path.
export function pagePath(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

// The surveys of a definition file: {"nazar":1,"surveys":[...]} or a single survey object.
export function surveyList(file: unknown): unknown[] {
  const list = (file as { surveys?: unknown } | null)?.surveys;
  return Array.isArray(list) ? list : [file];
}

// The core's UrlGlobMatch, for the pre-filter only: '*' matches any run (including '/'), every
// other character matches itself, and a "?query" or "#fragment" of the path is ignored.
export function globMatch(pattern: string, path: string): boolean {
  const cut = path.search(/[?#]/);
  if (cut >= 0) path = path.slice(0, cut);
  let p = 0;
  let s = 0;
  let star = -1;
  let resume = 0;
  while (s < path.length) {
    if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = s;
    } else if (p < pattern.length && pattern[p] === path[s]) {
      p++;
      s++;
    } else if (star >= 0) {
      p = star + 1;
      s = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

// False only when the survey certainly cannot show for `facts` (see the file comment).
function surveyMayShow(survey: unknown, facts: PrefilterFacts): boolean {
  const trigger = (survey as { trigger?: unknown } | null)?.trigger as
    | { on?: unknown; event?: unknown; url?: unknown }
    | undefined;
  if (!trigger || typeof trigger !== 'object' || typeof trigger.on !== 'string') return true;
  if (facts.kind === 'manual') return true;
  if (trigger.on !== facts.kind) return false;
  if (trigger.on === 'event' && typeof trigger.event === 'string' && trigger.event !== facts.event) return false;
  const url = trigger.url as { include?: unknown; exclude?: unknown } | undefined;
  if (url === undefined || url === null) return true;
  if (typeof url !== 'object') return true;
  const include = url.include ?? [];
  const exclude = url.exclude ?? [];
  if (!isStrings(include) || !isStrings(exclude)) return true;
  if (exclude.some((g) => globMatch(g, facts.url_path))) return false;
  return include.length === 0 || include.some((g) => globMatch(g, facts.url_path));
}

// True when some survey of the file may show for `facts` (ask the core), false when none can.
export function mayShow(file: unknown, facts: PrefilterFacts): boolean {
  return surveyList(file).some((s) => surveyMayShow(s, facts));
}
