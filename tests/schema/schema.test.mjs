// schema/survey.schema.json against every definition fixture, with Ajv (a JSON Schema 2020-12
// validator from npm): every tests/fixtures/valid file is accepted; every tests/fixtures/invalid
// file is rejected, except those listed in CORE_ONLY below, whose rule needs more than a schema
// can say. The list is checked both ways, so it cannot drift: a fixture the schema accepts that
// is not listed fails, and so does a listed fixture the schema rejects. The README's "Rules only
// the core checks" (README.md) is this list; a test below checks they agree. A rejected fixture
// must also be rejected for one of its own reasons: some schema error sits at, above or below a
// JSON pointer of its .expected file, so a schema that rejects everything cannot pass.
//
// Ajv is loaded from web/node_modules, or from the folder NAZAR_AJV_DIR names (a folder whose
// node_modules holds ajv). Missing, the test fails: it never skips.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = process.env.NAZAR_SOURCE_DIR ||
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = path.join(ROOT, 'tests/fixtures');
const SCHEMA_PATH = path.join(ROOT, 'schema/survey.schema.json');
const README = path.join(ROOT, 'README.md');

// Invalid fixtures the schema accepts, each with the rule only the core checks. Keys are fixture
// names without ".json"; the README lists the same names.
export const CORE_ONLY = {
  'list-duplicate-ids': 'survey ids are unique within a list file',
  'missing-default-locale-text': 'every text has the survey\'s default_locale',
  'privacy-scrubbed-comment-gate': 'under scrubbed comments, a text question\'s show_if names ' +
    'an NPS question and bounds it at group edges',
  'question-duplicate-id': 'question ids are unique within a survey',
  'show-if-later': 'show_if names an earlier question',
  'show-if-range': 'show_if min/max lie within the named question\'s scale, and min <= max',
  'show-if-self': 'show_if names an earlier question, not the question itself',
  'show-if-unknown': 'show_if names a question of the survey',
};

function loadAjv() {
  const dir = process.env.NAZAR_AJV_DIR || path.join(ROOT, 'web');
  const require = createRequire(path.join(dir, 'package.json'));
  try {
    return require('ajv/dist/2020');
  } catch (e) {
    assert.fail(
      `JSON Schema validator missing: no "ajv" under ${dir}/node_modules (${e.code}). ` +
      'Add ajv to web/package.json devDependencies and run scripts/install-deps.sh, ' +
      'or set NAZAR_AJV_DIR to a folder where `npm install ajv` was run.');
  }
}

function compileSchema() {
  const AjvModule = loadAjv();
  const Ajv2020 = AjvModule.default || AjvModule;
  // strictSchema: an unknown or misspelt keyword is an error, not silently ignored. strictTypes
  // is off: "required" inside if/then/not without its own "type" is idiomatic 2020-12.
  const ajv = new Ajv2020({ allErrors: true, strictSchema: true, strictTypes: false });
  return ajv.compile(JSON.parse(fs.readFileSync(SCHEMA_PATH, 'utf8')));
}

function fixtures(kind) {
  return fs.readdirSync(path.join(FIXTURES, kind))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f.slice(0, -5), file: path.join(FIXTURES, kind, f) }));
}

// The document, or undefined when the file is not JSON (a schema-based checker rejects it
// before any rule applies).
function parse(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

const describe = (errors) =>
  (errors || []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');

test('the schema compiles under Ajv strict mode (draft 2020-12)', () => {
  compileSchema();
});

test('every valid fixture is accepted', () => {
  const validate = compileSchema();
  const list = fixtures('valid');
  assert.ok(list.length >= 5, `expected the valid fixtures in ${FIXTURES}/valid`);
  const rejected = [];
  for (const { name, file } of list) {
    const doc = parse(file);
    if (doc === undefined) rejected.push(`${name}: not JSON`);
    else if (!validate(doc)) rejected.push(`${name}: ${describe(validate.errors)}`);
  }
  assert.deepEqual(rejected, [], 'valid fixtures the schema rejects');
});

// The UI languages shipped as files (web/locales/*.json) are whole "strings" values: a survey
// that adds one is accepted, and each file names exactly the strings the schema knows.
test('every web/locales file is a "strings" value the schema accepts', () => {
  const validate = compileSchema();
  const dir = path.join(ROOT, 'web/locales');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  assert.deepEqual(files, ['de.json', 'es.json', 'fr.json', 'tr.json', 'ur.json']);
  const base = parse(path.join(FIXTURES, 'valid/post-checkout.json'));
  const schema = JSON.parse(fs.readFileSync(SCHEMA_PATH, 'utf8'));
  const known = Object.keys(schema.$defs.uiStrings.additionalProperties.properties).sort();
  assert.equal(known.length, 21);
  for (const f of files) {
    const strings = parse(path.join(dir, f));
    assert.ok(strings, `${f} is not JSON`);
    assert.ok(validate({ ...base, strings }), `${f}: ${describe(validate.errors)}`);
    assert.deepEqual(Object.keys(strings), [f.slice(0, -5)], `${f} holds its own language only`);
    assert.deepEqual(Object.keys(Object.values(strings)[0]).sort(), known, `${f} does not name every UI string`);
  }
});

// JSON pointers of a fixture's expected core errors ("" for errors about the whole file).
function expectedPointers(file) {
  return fs.readFileSync(file.replace(/\.json$/, '.expected'), 'utf8').split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => (line.startsWith('/') ? line.slice(0, line.indexOf(':')) : ''));
}

// An Ajv error at `at` concerns the core error at `pointer` when one contains the other. Errors at
// the root ("") concern only whole-file errors and keys of the top level ("/title").
function concerns(at, pointer) {
  if (at === '') return pointer.split('/').length <= 2;
  return at === pointer || pointer.startsWith(`${at}/`) || at.startsWith(`${pointer}/`);
}

test('every invalid fixture is rejected for its own reasons, unless only the core can tell', () => {
  const validate = compileSchema();
  const list = fixtures('invalid');
  assert.ok(list.length >= 20, `expected the invalid fixtures in ${FIXTURES}/invalid`);
  const names = new Set(list.map((f) => f.name));
  const problems = Object.keys(CORE_ONLY).filter((n) => !names.has(n))
    .map((n) => `${n}: in CORE_ONLY but no such fixture`);
  for (const { name, file } of list) {
    const doc = parse(file);
    const listed = name in CORE_ONLY;
    if (doc === undefined) {  // not JSON: rejected before any schema rule
      if (listed) problems.push(`${name}: in CORE_ONLY but not even JSON`);
      continue;
    }
    if (validate(doc)) {
      if (!listed) {
        problems.push(`${name}: accepted by the schema; tighten the schema, or add it to ` +
                      'CORE_ONLY and the README if no schema can express the rule');
      }
      continue;
    }
    const errors = validate.errors;
    if (listed) {
      problems.push(`${name}: in CORE_ONLY but the schema rejects it (${describe(errors)}); ` +
                    'remove it from CORE_ONLY and the README');
      continue;
    }
    const pointers = expectedPointers(file);
    if (!errors.some((e) => pointers.some((p) => concerns(e.instancePath, p)))) {
      problems.push(`${name}: rejected for another reason than its own (${pointers.join(', ')}): ` +
                    describe(errors));
    }
  }
  assert.deepEqual(problems, []);
});

// Rules no fixture isolates, with the core's verdict worked out by hand from the definition rules
// (csat-satisfied.expected: "6 is outside the scale (use 1 to 5)").
test('CSAT satisfied values must lie within the question\'s scale (5 points by default)', () => {
  const validate = compileSchema();
  const doc = (q) => ({ nazar: 1, id: 's', version: '1',
    questions: [{ id: 'a', type: 'csat', text: { en: 'Q' }, ...q }] });
  const cases = [
    [{ satisfied: [5] }, true], [{ satisfied: [6] }, false],
    [{ scale: 2, satisfied: [2] }, true], [{ scale: 2, satisfied: [3] }, false],
    [{ scale: 7, satisfied: [6, 7] }, true], [{ scale: 7, satisfied: [8] }, false],
    [{ scale: 10, satisfied: [9, 10] }, true], [{ scale: 7, style: 'emoji' }, false],
  ];
  for (const [q, want] of cases) assert.equal(validate(doc(q)), want, JSON.stringify(q));
});

test('the README lists exactly the fixtures of CORE_ONLY', () => {
  const readme = fs.readFileSync(README, 'utf8');
  const section = readme.split(/^### Rules only the core checks$/m)[1];
  assert.ok(section !== undefined, 'README.md has no "### Rules only the core checks" section');
  const body = section.split(/^#{1,3} /m)[0];
  const listed = [...body.matchAll(/`([a-z0-9-]+)\.json`/g)].map((m) => m[1]);
  assert.deepEqual([...new Set(listed)].sort(), Object.keys(CORE_ONLY).sort());
});
