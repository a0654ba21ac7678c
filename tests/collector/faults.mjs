// Fault tests of the real nazar-collector binary (issue 6, "Faults, bad input, load"): clients
// post unique tallies of one survey while the collector is killed, PostgreSQL restarts, the disk
// fills or a second collector shares the database, and every check compares the report with the
// totals computed here, independently, from what was sent. Exits 1 with the reason on any
// failure (never skips).
//
//   node faults.mjs SCENARIO --collector BIN --surveys nps.json [--pg-dir DIR] [--pg-server SH]
//
// Scenarios:
//   kill-sqlite, kill-postgres  SIGKILL under load, restart, re-send what was not acknowledged
//   pg-restart                  PostgreSQL stopped and started under load (its own server: DIR)
//   disk-full                   SQLite on a small tmpfs (a private mount namespace, as root)
//   two-collectors              two processes on one PostgreSQL, every batch sent to both; a
//                               version registered through one is accepted and served by both
//   password-rotation           PGPASSFILE login, the password rotated, SIGHUP under load
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const READ_TOKEN = 'faults-read-token';
const ADMIN_TOKEN = 'faults-admin-token';
const SITE = 'shop.example';
const PERIOD = new Date().toISOString().slice(0, 10); // the collector's day is UTC too

// ---- arguments ----------------------------------------------------------------------------
const [scenario, ...rest] = process.argv.slice(2);
const args = {};
for (let i = 0; i < rest.length; i += 2) {
  if (!rest[i].startsWith('--') || i + 1 >= rest.length) usage(`bad argument ${rest[i]}`);
  args[rest[i].slice(2)] = rest[i + 1];
}
function usage(message) {
  console.error(`faults.mjs: ${message}\nusage: node faults.mjs kill-sqlite|kill-postgres|` +
                'pg-restart|disk-full|two-collectors|password-rotation --collector BIN --surveys FILE ' +
                '[--pg-dir DIR] [--pg-server pg_server.sh]');
  process.exit(2);
}
if (!args.collector || !args.surveys) usage('--collector and --surveys are required');
const definition = JSON.parse(fs.readFileSync(args.surveys, 'utf8'));
const SURVEY = definition.id;
const VERSION = definition.version;
const npsQuestion = definition.questions.find((q) => q.type === 'nps');
if (!npsQuestion) usage(`${args.surveys} has no NPS question`);

class TestFailure extends Error {}
function check(condition, message) {
  if (!condition) throw new TestFailure(message);
}

// ---- batches and the expected report ------------------------------------------------------
let batchCounter = 0;
// A unique tally: 1 to 3 displays, one completion, the rest dismissals, one NPS answer. The
// score and the number of displays vary, so a lost or doubled batch changes several totals.
function makeBatch(version = VERSION) {
  const i = batchCounter++;
  const displays = 1 + (i % 3);
  const score = (i * 7 + 3) % 11;
  const counts = Array(11).fill(0);
  counts[score] = 1;
  const body = JSON.stringify({
    nazar: 1, batch: randomBytes(16).toString('hex'), site: SITE, survey: SURVEY,
    survey_version: version, period: PERIOD, locale: 'en', displays, completions: 1,
    dismissals: displays - 1, questions: { [npsQuestion.id]: { type: 'nps', counts } },
  });
  return { id: JSON.parse(body).batch, displays, score, body, acked: false, sends: 0 };
}
function makeBatches(n) {
  return Array.from({ length: n }, () => makeBatch());
}

// What the report must say about a set of distinct batches, computed from what was sent.
function expectedOf(batches) {
  const ids = new Set(batches.map((b) => b.id));
  check(ids.size === batches.length, 'expectedOf: a batch id is listed twice');
  const counts = Array(11).fill(0);
  let displays = 0;
  for (const b of batches) {
    displays += b.displays;
    counts[b.score] += 1;
  }
  const sum = (from, to) => counts.slice(from, to + 1).reduce((a, b) => a + b, 0);
  return { displays, completions: batches.length, counts, promoters: sum(9, 10),
           passives: sum(7, 8), detractors: sum(0, 6) };
}

// The part of a report the expected values cover.
function observedOf(report) {
  const q = report.questions?.[npsQuestion.id] ?? {};
  return { displays: report.displays, completions: report.completions, counts: q.counts,
           promoters: q.promoters, passives: q.passives, detractors: q.detractors };
}

function checkReport(report, batches, what) {
  const want = expectedOf(batches);
  const got = observedOf(report);
  check(JSON.stringify(got) === JSON.stringify(want),
        `${what}: the report does not count exactly the ${batches.length} distinct batches it ` +
        "should (every one acknowledged, each once)" +
        `\n  expected ${JSON.stringify(want)}\n  reported ${JSON.stringify(got)}`);
}

// ---- the collector process ----------------------------------------------------------------
const collectors = [];
class Collector {
  // `env`: extra environment of the process (a key whose value is undefined is removed).
  constructor(name, db, env = {}) {
    this.name = name;
    this.db = db;
    this.env = env;
    this.log = [];
    this.reloads = []; // the "reload done|failed" lines (SIGHUP), kept apart from the log tail
    this.exited = null;
    this.agent = new http.Agent({ keepAlive: true });
  }

  // A request to this collector over its keep-alive connections.
  get(route, init = {}) {
    return request(this.base + route, init, this.agent);
  }

  // Starts the binary on a free port and waits until /healthz answers 200.
  async start() {
    this.log.push(`---- start on ${this.db}`);
    const child = spawn(args.collector, [
      '--surveys', args.surveys, '--db', this.db, '--listen', '127.0.0.1:0', '--rate-limit', '0',
    ], {
      env: Object.fromEntries(Object.entries({
        ...process.env, NAZAR_READ_TOKEN: READ_TOKEN, NAZAR_ADMIN_TOKEN: ADMIN_TOKEN, ...this.env,
      }).filter(([, v]) => v !== undefined)),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child = child;
    this.exited = null;
    collectors.push(this);
    const exited = new Promise((resolve) => child.on('exit', (code, signal) => {
      this.exited = { code, signal };
      resolve(this.exited);
    }));
    this.exit = exited;
    const port = new Promise((resolve) => {
      let partial = '';
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop();
        for (const line of lines) {
          this.log.push(line);
          if (/ reload (done|failed)/.test(line)) this.reloads.push(line);
          if (this.log.length > 400) this.log.splice(0, this.log.length - 300);
          const m = /listening on [^ ]*:(\d+)$/.exec(line);
          if (m) resolve(Number(m[1]));
        }
      });
    });
    const first = await Promise.race([port, exited, sleep(20000, 'timeout', { ref: false })]);
    check(typeof first === 'number',
          `collector ${this.name} did not start (${JSON.stringify(first)}):\n${this.tail()}`);
    this.base = `http://127.0.0.1:${first}`;
    const deadline = Date.now() + 20000;
    for (;;) {
      const r = await this.get('/healthz');
      if (r.status === 200) return this;
      check(Date.now() < deadline, `collector ${this.name}: /healthz never answered 200`);
      await sleep(50);
    }
  }

  kill9() {
    process.kill(this.child.pid, 'SIGKILL');
  }

  // SIGTERM: it must drain and exit 0.
  async stop() {
    this.agent.destroy();
    this.child.kill('SIGTERM');
    const exit = await Promise.race([this.exit, sleep(20000, 'timeout', { ref: false })]);
    check(exit !== 'timeout', `collector ${this.name} did not exit within 20 s of SIGTERM`);
    check(exit.code === 0, `collector ${this.name} exited ${JSON.stringify(exit)} on SIGTERM`);
  }

  tail(n = 25) {
    return this.log.slice(-n).map((l) => `  [${this.name}] ${l}`).join('\n');
  }
}

// ---- HTTP ---------------------------------------------------------------------------------
// One request; never throws: a network failure is {status: 0, error}. Node's http with the
// collector's own keep-alive agent (not fetch): stop() closes the idle connections first, else
// the collector's graceful shutdown waits for them to time out.
function request(url, { method = 'GET', body, headers = {} } = {}, agent = undefined) {
  return new Promise((resolve) => {
    const req = http.request(url, { method, headers, agent, timeout: 15000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        let json = null;
        try {
          json = JSON.parse(text);
        } catch {}
        resolve({ status: res.statusCode, headers: res.headers, text, json });
      });
      res.on('error', (error) => resolve({ status: 0, error: String(error.code ?? error) }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error) => resolve({ status: 0, error: String(error.code ?? error) }));
    req.end(body);
  });
}

const stats = { posts: 0, ok: 0, duplicate: 0, unavailable: 0, network: 0 };

// Posts one batch once. 200 marks it acknowledged; 503 must carry Retry-After; any other
// status fails the test (every payload here is valid).
async function post(collector, batch) {
  batch.sends += 1;
  stats.posts += 1;
  const r = await collector.get('/v1/aggregates', {
    method: 'POST', body: batch.body,
    headers: { 'Content-Type': 'text/plain;charset=UTF-8', Origin: `https://${SITE}` },
  });
  if (r.status === 0) {
    stats.network += 1;
  } else if (r.status === 200) {
    check(r.json?.ok === true && typeof r.json.duplicate === 'boolean',
          `${collector.name}: 200 without {"ok":true,"duplicate":bool}: ${r.text}`);
    stats.ok += 1;
    if (r.json.duplicate) stats.duplicate += 1;
    batch.acked = true;
    r.duplicate = r.json.duplicate;
  } else if (r.status === 503) {
    stats.unavailable += 1;
    const after = r.headers['retry-after'];
    check(/^[1-9][0-9]*$/.test(after ?? ''), `${collector.name}: 503 without Retry-After: ${r.text}`);
  } else {
    throw new TestFailure(`${collector.name}: POST answered ${r.status}: ${r.text}`);
  }
  return r;
}

// Posts until 200 (a client honouring 503 + Retry-After, only faster: at most 200 ms apart).
async function postUntilOk(collector, batch, deadline) {
  for (let attempt = 0; ; ++attempt) {
    const r = await post(collector, batch);
    if (r.status === 200) return r;
    check(Date.now() < deadline,
          `${collector.name}: batch ${batch.id} still not acknowledged at the deadline ` +
          `(last answer ${r.status || r.error}):\n${collector.tail()}`);
    await sleep(Math.min(200, 20 * (attempt + 1)));
  }
}

async function report(collector) {
  const r = await collector.get(`/v1/report?survey=${SURVEY}&from=${PERIOD}&to=${PERIOD}`,
                                { headers: { Authorization: `Bearer ${READ_TOKEN}` } });
  check(r.status === 200, `${collector.name}: GET /v1/report answered ${r.status}: ${r.text}`);
  check(Array.isArray(r.json.suppressed) && r.json.suppressed.length === 0,
        `${collector.name}: the report suppressed ${JSON.stringify(r.json.suppressed)}`);
  return r.json;
}

// Runs `clients` concurrent loops, each over its share of `batches`.
function inParallel(batches, clients, body) {
  const shares = Array.from({ length: clients }, () => []);
  batches.forEach((b, i) => shares[i % clients].push(b));
  return Promise.all(shares.map((share, client) => body(share, client)));
}

// ---- PostgreSQL -----------------------------------------------------------------------------
function pgUrl() {
  check(args['pg-dir'], '--pg-dir is required for the PostgreSQL scenarios');
  const file = path.join(args['pg-dir'], 'url');
  check(fs.existsSync(file), `${file} is missing: is the PostgreSQL fixture running?`);
  return fs.readFileSync(file, 'utf8').trim();
}

function psqlPath() {
  const bins = [];
  if (process.env.NAZAR_PG_BIN) bins.push(process.env.NAZAR_PG_BIN);
  try {
    const versions = fs.readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    for (const v of versions) bins.push(`/usr/lib/postgresql/${v}/bin`);
  } catch {}
  for (const bin of bins) {
    if (fs.existsSync(`${bin}/psql`)) return `${bin}/psql`;
  }
  return 'psql';
}

// A fresh schema of the fixture's database, and the collector's URL that uses it.
function freshSchema(url, schema) {
  psql(url, `DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
  return `${url}&options=-csearch_path%3D${schema}`;
}

// Runs `sql` with psql on `url`; its output (one value per line). `env` may hold PGPASSWORD.
function psql(url, sql, env = {}) {
  const r = spawnSync(psqlPath(), [url, '-v', 'ON_ERROR_STOP=1', '-qtA', '-c', sql],
                      { encoding: 'utf8', env: { ...process.env, ...env } });
  check(r.status === 0, `psql ${sql}: ${r.error ?? ''}${r.stderr}`);
  return r.stdout.trim();
}

// tests/collector/pg_server.sh start|stop on the scenario's own server.
function pgServer(action) {
  check(args['pg-server'], '--pg-server is required for pg-restart');
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [args['pg-server'], action, args['pg-dir']],
                        { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => code === 0 ? resolve()
      : reject(new TestFailure(`pg_server.sh ${action} failed (${code}): ${err}`)));
  });
}

// ---- scenarios --------------------------------------------------------------------------------

// SIGKILL mid-load, restart on the same database, every client re-sends what was not
// acknowledged and a quarter of what was. Right after the restart, before any re-send, the
// totals must hold every acknowledged batch (and at most the ones cut off in flight).
async function killScenario(db) {
  const kClients = 16, kBatches = 400, kKillAfter = 150;
  const batches = makeBatches(kBatches);
  const first = await new Collector('first', db).start();
  let acked = 0, killed = false, inFlightAtKill = 0;
  const inFlight = new Set();
  const cut = new Set(); // sent but answered by a broken connection: stored or not
  // Each client posts until its connection breaks (the collector is gone).
  await inParallel(batches, kClients, async (share) => {
    for (const b of share) {
      inFlight.add(b);
      const r = await post(first, b);
      inFlight.delete(b);
      if (r.status === 0) {
        check(killed, `the collector failed a request before it was killed: ${r.error}`);
        cut.add(b);
        return;
      }
      check(r.status === 200, `answer ${r.status} before the kill: ${r.text}`);
      check(!r.duplicate, `a batch sent for the first time answered duplicate: ${b.id}`);
      if (++acked >= kKillAfter && !killed) {
        killed = true;
        inFlightAtKill = inFlight.size;
        first.kill9();
      }
    }
  });
  const exit = await first.exit;
  check(exit.signal === 'SIGKILL', `the first collector ended with ${JSON.stringify(exit)}`);
  const ackedBatches = batches.filter((b) => b.acked);
  const unsent = batches.filter((b) => b.sends === 0);
  console.log(`killed with ${inFlightAtKill} posts in flight; ${ackedBatches.length} ` +
              `acknowledged, ${cut.size} cut, ${unsent.length} not sent yet`);
  check(inFlightAtKill > 0 && unsent.length > 0, 'the kill did not land in the middle of the load');

  const second = await new Collector('second', db).start();
  // Every acknowledged batch survived; of the cut ones, any subset.
  const now = observedOf(await report(second));
  const low = expectedOf(ackedBatches), high = expectedOf([...ackedBatches, ...cut]);
  for (const k of ['displays', 'completions', 'promoters', 'passives', 'detractors']) {
    check(now[k] >= low[k] && now[k] <= high[k],
          `after the restart ${k} is ${now[k]}: the acknowledged batches alone make ${low[k]}, ` +
          `with every batch cut in flight ${high[k]}`);
  }
  const deadline = Date.now() + 30000;
  const resend = batches.filter((b, i) => !b.acked || i % 4 === 0);
  const wasAcked = new Set(ackedBatches);
  await inParallel(resend, kClients, async (share) => {
    for (const b of share) {
      const r = await postUntilOk(second, b, deadline);
      if (wasAcked.has(b)) {
        check(r.duplicate, `batch ${b.id} was acknowledged before the kill, yet the restarted ` +
                           'collector answered that it is new (lost, or not de-duplicated)');
      } else if (unsent.includes(b)) {
        check(!r.duplicate, `batch ${b.id} was never sent before but answered duplicate`);
      }
    }
  });
  checkReport(await report(second), batches, 'after the re-sends');
  await second.stop();
}

// PostgreSQL stopped under load and started again: the collector answers 503 + Retry-After
// meanwhile (never 200), its /healthz says 503, and it recovers by itself.
async function pgRestartScenario() {
  const kClients = 16, kRestartAfter = 80, kAfterRecovery = 100;
  const db = freshSchema(pgUrl(), 'faults_restart');
  const batches = [];
  const collector = await new Collector('collector', db).start();
  let acked = 0;
  let ackedAtRecovery = Infinity; // the clients post fresh batches until 100 more after it
  let startOutage;
  const outageStarted = new Promise((resolve) => (startOutage = resolve));
  const deadline = Date.now() + 45000;
  const clients = Promise.all(Array.from({ length: kClients }, async () => {
    while (acked < ackedAtRecovery + kAfterRecovery) {
      const b = makeBatch();
      batches.push(b);
      const r = await postUntilOk(collector, b, deadline);
      check(!r.duplicate || b.sends > 1, `batch ${b.id} sent once answered duplicate`);
      if (++acked === kRestartAfter) startOutage();
    }
  }));
  const controller = (async () => {
    await outageStarted;
    const before = stats.unavailable;
    await pgServer('stop');
    console.log(`PostgreSQL stopped after ${acked} acknowledged`);
    const health = await collector.get('/healthz');
    check(health.status === 503 && health.headers['retry-after'],
          `/healthz with PostgreSQL down answered ${health.status} ` +
          `(Retry-After ${health.headers?.['retry-after']})`);
    const probe = makeBatch();
    const r = await post(collector, probe);
    check(r.status === 503, `a post with PostgreSQL down answered ${r.status}: ${r.text}`);
    await sleep(800);
    const during = stats.unavailable - before;
    await pgServer('start');
    const back = Date.now();
    console.log(`PostgreSQL started again; ${during} answers were 503 meanwhile`);
    for (;;) {
      const h = await collector.get('/healthz');
      if (h.status === 200) break;
      check(Date.now() - back < 20000,
            `the collector did not recover within 20 s of PostgreSQL's restart:\n` +
            collector.tail());
      await sleep(50);
    }
    console.log(`the collector answered /healthz 200 ${Date.now() - back} ms after the restart`);
    await postUntilOk(collector, probe, Date.now() + 20000);
    batches.push(probe);
    ackedAtRecovery = acked;
  })();
  await Promise.all([clients, controller]);
  check(stats.unavailable >= 2 + kClients,
        `only ${stats.unavailable} answers were 503: the outage did not meet the load`);
  // Every acknowledged batch is stored: re-sending any of them is a duplicate.
  for (const b of batches.filter((_, i) => i % 5 === 0)) {
    const r = await postUntilOk(collector, b, Date.now() + 10000);
    check(r.duplicate, `batch ${b.id} was acknowledged but is not stored`);
  }
  checkReport(await report(collector), batches, 'after the restart of PostgreSQL');
  await collector.stop();
}

// SQLite on a 2 MiB tmpfs, filled up by a file: posts get 503 once nothing fits, never 200; the
// report holds exactly the acknowledged posts; once the file is deleted the same collector
// stores again, and a restart finds everything.
async function diskFullScenario(work) {
  const mnt = path.join(work, 'small');
  fs.mkdirSync(mnt);
  const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0755', 'nazar-faults', mnt],
                      { encoding: 'utf8' });
  check(m.status === 0, `mount -t tmpfs failed (the test needs root in a private mount ` +
                        `namespace): ${m.error ?? ''}${m.stderr}`);
  try {
    const db = path.join(mnt, 'nazar.db');
    const collector = await new Collector('collector', db).start();
    // Fill the file system, then give back 128 KiB: room for a few commits.
    const filler = path.join(mnt, 'filler');
    const fd = fs.openSync(filler, 'w');
    const chunk = Buffer.alloc(4096, 1);
    let size = 0;
    try {
      for (;;) size += fs.writeSync(fd, chunk);
    } catch (e) {
      check(e.code === 'ENOSPC', `filling the tmpfs: ${e}`);
    }
    fs.ftruncateSync(fd, Math.max(0, size - 128 * 1024));
    fs.closeSync(fd);
    const sent = [];
    let refused = 0;
    const kClients = 4;
    for (let round = 0; round < 150 && refused < 40; ++round) {
      const wave = makeBatches(kClients);
      sent.push(...wave);
      const answers = await Promise.all(wave.map((b) => post(collector, b)));
      for (const r of answers) {
        check(r.status === 200 || r.status === 503, `a post on a full disk answered ${r.status}`);
        if (r.status === 503) refused += 1;
      }
    }
    const acked = sent.filter((b) => b.acked);
    console.log(`disk full: ${acked.length} of ${sent.length} posts acknowledged, ` +
                `${refused} refused with 503`);
    checkReport(await report(collector), acked, 'on the full disk');
    check(refused >= 40, `the store never filled up (${refused} posts refused)`);
    check(acked.length >= 5,
          `only ${acked.length} posts fitted in the space left (a report shows 5 or more)`);

    fs.unlinkSync(filler);
    const deadline = Date.now() + 20000;
    for (const b of sent.filter((x) => !x.acked)) {
      const r = await postUntilOk(collector, b, deadline);
      check(!r.duplicate, `batch ${b.id} was refused on the full disk but counted`);
    }
    for (const b of acked.filter((_, i) => i % 3 === 0)) {
      const r = await postUntilOk(collector, b, deadline);
      check(r.duplicate, `batch ${b.id} was acknowledged on the full disk but is not stored`);
    }
    checkReport(await report(collector), sent, 'after freeing space');
    await collector.stop();
    const again = await new Collector('restarted', db).start();
    checkReport(await report(again), sent, 'after a restart');
    await again.stop();
  } finally {
    for (const c of collectors) if (!c.exited) c.kill9();
    await Promise.all(collectors.map((c) => c.exit));
    spawnSync('umount', [mnt]);
  }
}

// Two collectors on one PostgreSQL database, started at once (both migrate and register), every
// batch posted to both at the same moment: exactly one of the two answers is not a duplicate,
// both reports agree with what was sent, and the definitions both serve agree, also after a
// new version is registered through one of them.
async function twoCollectorsScenario() {
  const db = freshSchema(pgUrl(), 'faults_two');
  const [a, b] = await Promise.all([
    new Collector('a', db, { NAZAR_CATALOG_REFRESH_SECONDS: '1' }).start(),
    new Collector('b', db, { NAZAR_CATALOG_REFRESH_SECONDS: '3600' }).start(),
  ]);
  const surveys = async (c) => {
    const r = await c.get('/v1/surveys');
    check(r.status === 200, `${c.name}: GET /v1/surveys answered ${r.status}`);
    return { etag: r.headers.etag, text: r.text };
  };
  const [sa, sb] = [await surveys(a), await surveys(b)];
  check(sa.etag === sb.etag && sa.text === sb.text,
        `the two collectors serve different definitions:\n  a ${sa.text}\n  b ${sb.text}`);

  const batches = makeBatches(250);
  const deadline = Date.now() + 30000;
  await inParallel(batches, 8, async (share) => {
    for (const batch of share) {
      const [ra, rb] = await Promise.all([postUntilOk(a, batch, deadline),
                                          postUntilOk(b, batch, deadline)]);
      check(ra.duplicate !== rb.duplicate,
            `batch ${batch.id}: a answered duplicate=${ra.duplicate}, b duplicate=${rb.duplicate}` +
            ' (exactly one of the two must have added it)');
    }
  });
  checkReport(await report(a), batches, 'collector a');
  checkReport(await report(b), batches, 'collector b');

  // Version 2 registered through a. b (whose periodic refresh is an hour away) has not seen it:
  // its first tally of version 2 makes b re-read the definitions, and is counted; b then
  // serves what a serves, without SIGHUP.
  const v2 = { ...definition, version: `${VERSION}-2` };
  const put = await a.get(`/v1/surveys/${SURVEY}`, {
    method: 'PUT', body: JSON.stringify(v2),
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
  });
  check(put.status === 201, `PUT a new version through a answered ${put.status}: ${put.text}`);
  const late = makeBatch(v2.version);
  const r = await post(b, late);
  check(r.status === 200 && !r.duplicate,
        `b answered ${r.status} ${r.text} to a tally of version ${v2.version}, registered ` +
        'through a (b must re-read the definitions when it meets an unknown version)');
  batches.push(late);
  const [na, nb] = [await surveys(a), await surveys(b)];
  check(na.etag === nb.etag && na.text === nb.text && na.etag !== sa.etag,
        `after its refresh b serves other definitions than a:\n  a ${na.text}\n  b ${nb.text}`);
  const clash = await b.get(`/v1/surveys/${SURVEY}`, {
    method: 'PUT', body: JSON.stringify({ ...v2, questions: [{ ...npsQuestion, id: 'other' }] }),
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
  });
  check(clash.status === 409,
        `b accepted version ${v2.version} with another text than a registered (${clash.status})`);
  checkReport(await report(a), batches, 'collector a, with version 2');

  // Version 3 registered through b, and nothing posted to a: a's periodic refresh (every
  // second here) must bring it to a's GET /v1/surveys. Polled, with a deadline.
  const v3 = { ...definition, version: `${VERSION}-3` };
  const put3 = await b.get(`/v1/surveys/${SURVEY}`, {
    method: 'PUT', body: JSON.stringify(v3),
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
  });
  check(put3.status === 201, `PUT version 3 through b answered ${put3.status}: ${put3.text}`);
  const until = Date.now() + 10000;
  for (;;) {
    const [ma, mb] = [await surveys(a), await surveys(b)];
    if (ma.etag === mb.etag && ma.text === mb.text && mb.text.includes(v3.version)) break;
    check(Date.now() < until, `10 s after b registered ${v3.version}, a still serves other ` +
                              `definitions (no periodic refresh?):\n  a ${ma.text}\n  b ${mb.text}`);
    await sleep(100);
  }
  await Promise.all([a.stop(), b.stop()]);
}

// The collector logs in to PostgreSQL with a password from PGPASSFILE (the fixture's server
// asks role nazar_password for SCRAM: pg_server.sh). The password is rotated (ALTER ROLE, the
// file rewritten): posts still succeed on the open connections; SIGHUP under load loses no post
// and replaces every connection of the collector (none of the old backends is left); rotated
// again and dropped by the server, connections are re-made with the newest password.
async function passwordRotationScenario(work) {
  const admin = pgUrl();
  const role = 'nazar_password';
  const schema = 'faults_pw';
  const [oldPassword, newPassword] = [randomBytes(12).toString('hex'), randomBytes(12).toString('hex')];
  psql(admin, `DROP SCHEMA IF EXISTS ${schema} CASCADE; DROP ROLE IF EXISTS ${role}; ` +
              `CREATE ROLE ${role} LOGIN PASSWORD '${oldPassword}'; ` +
              `CREATE SCHEMA ${schema} AUTHORIZATION ${role}`);
  const url = admin.replace(/^postgresql:\/\/[^@]*@/, `postgresql://${role}@`);
  check(url !== admin, `cannot put the role into the fixture's URL ${admin}`);
  const passfile = path.join(work, 'pgpass');
  const writePassfile = (password) => {
    fs.writeFileSync(`${passfile}.new`, `*:*:*:${role}:${password}\n`, { mode: 0o600 });
    fs.renameSync(`${passfile}.new`, passfile);
  };
  writePassfile(oldPassword);
  // The server really asks for the password: a wrong one is refused.
  const wrong = spawnSync(psqlPath(), [url, '-qtA', '-c', 'SELECT 1'], {
    encoding: 'utf8', env: { ...process.env, PGPASSWORD: 'wrong', PGPASSFILE: '/dev/null' },
  });
  check(wrong.status !== 0 && /password authentication failed/.test(wrong.stderr),
        `a wrong password was not refused (is pg_hba's scram line there?): ${wrong.stderr}`);
  const backends = () => new Set(psql(admin, 'SELECT pid FROM pg_stat_activity ' +
                                             `WHERE usename = '${role}'`).split('\n').filter(Boolean));

  const c = await new Collector('pw', `${url}&options=-csearch_path%3D${schema}`, {
    PGPASSFILE: passfile, PGPASSWORD: undefined,
  }).start();
  const batches = [];
  const postOk = async (n) => {
    for (let i = 0; i < n; ++i) {
      const batch = makeBatch();
      const r = await post(c, batch);
      check(r.status === 200, `post answered ${r.status} ${r.text}:\n${c.tail()}`);
      batches.push(batch);
    }
  };
  await postOk(10);
  await report(c);

  // SIGHUP with a wrong password in the file: the reload says the connections were kept, and
  // they carry on.
  const waitReload = async (n) => {
    const deadline = Date.now() + 10000;
    while (c.reloads.length < n) {
      check(Date.now() < deadline, `no reload line 10 s after SIGHUP:\n${c.tail()}`);
      await sleep(20);
    }
    return c.reloads[n - 1];
  };
  writePassfile('not-the-password');
  c.child.kill('SIGHUP');
  const kept = await waitReload(1);
  check(/reload failed: the store's connections were kept/.test(kept) &&
        /password authentication failed/.test(kept), `SIGHUP with a wrong password: ${kept}`);
  await postOk(5);
  await report(c);
  writePassfile(oldPassword);

  // Rotated: the old password no longer logs in, the open connections carry on.
  psql(admin, `ALTER ROLE ${role} PASSWORD '${newPassword}'`);
  writePassfile(newPassword);
  const stale = spawnSync(psqlPath(), [url, '-qtA', '-c', 'SELECT 1'], {
    encoding: 'utf8', env: { ...process.env, PGPASSWORD: oldPassword, PGPASSFILE: '/dev/null' },
  });
  check(stale.status !== 0, 'the old password still logs in after ALTER ROLE');
  await postOk(10);
  const before = backends();
  check(before.size > 0, `no backend of ${role} before SIGHUP`);

  // SIGHUP while 4 clients post: every post answers 200.
  let reloaded = false;
  const clients = Array.from({ length: 4 }, async () => {
    while (!reloaded) await postOk(1);
  });
  await sleep(100);
  c.child.kill('SIGHUP');
  const until = Date.now() + 10000;
  const done = await waitReload(2);
  check(/reload done/.test(done), `${done}\n${c.tail()}`);
  await sleep(100);
  reloaded = true;
  await Promise.all(clients);
  await postOk(5);
  await report(c);
  // Every connection was replaced: none of the backends open before SIGHUP is left.
  for (;;) {
    const now = backends();
    const left = [...before].filter((pid) => now.has(pid));
    if (left.length === 0 && now.size > 0) break;
    check(Date.now() < until, `backends ${left.join(', ')} opened before SIGHUP are still ` +
                              `used after it (the store did not reconnect)`);
    await postOk(1);
    await c.get('/healthz');
    await sleep(50);
  }
  // Rotated again, without SIGHUP, and the server drops every connection: they are re-made
  // from scratch, reading PGPASSFILE again (libpq's PQreset would re-use the password it read
  // when the connection was first made, and never get back in).
  const thirdPassword = randomBytes(12).toString('hex');
  psql(admin, `ALTER ROLE ${role} PASSWORD '${thirdPassword}'`);
  writePassfile(thirdPassword);
  psql(admin, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '${role}'`);
  for (let i = 0; i < 5; ++i) {
    const batch = makeBatch();
    await postUntilOk(c, batch, Date.now() + 10000);
    batches.push(batch);
  }
  checkReport(await report(c), batches, 'after the password rotation');
  await c.stop();
}

// ---- main -------------------------------------------------------------------------------------
async function main() {
  if (scenario === 'disk-full' && !process.env.NAZAR_FAULTS_NAMESPACE) {
    // A private mount namespace: the tmpfs disappears with this process, whatever happens.
    const r = spawnSync('unshare', ['--mount', '--propagation', 'private', process.execPath,
                                    ...process.argv.slice(1)],
                        { stdio: 'inherit', env: { ...process.env, NAZAR_FAULTS_NAMESPACE: '1' } });
    if (r.error || r.status !== 0) {
      console.error(`faults.mjs: disk-full ${r.error ? `could not run unshare: ${r.error}` :
                                                     `failed (exit ${r.status ?? r.signal})`}` +
                    ' (a private tmpfs needs root, or CAP_SYS_ADMIN)');
    }
    process.exit(r.status ?? 1);
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nazar-faults-'));
  const started = Date.now();
  try {
    switch (scenario) {
      case 'kill-sqlite': await killScenario(path.join(work, 'nazar.db')); break;
      case 'kill-postgres': await killScenario(freshSchema(pgUrl(), 'faults_kill')); break;
      case 'pg-restart': await pgRestartScenario(); break;
      case 'disk-full': await diskFullScenario(work); break;
      case 'two-collectors': await twoCollectorsScenario(); break;
      case 'password-rotation': await passwordRotationScenario(work); break;
      default: usage(`unknown scenario ${scenario}`);
    }
    console.log(`${scenario}: passed in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
                `posts ${JSON.stringify(stats)}`);
  } catch (error) {
    console.error(`${scenario}: FAILED: ${error instanceof TestFailure ? error.message :
                                                                        error.stack}`);
    for (const c of collectors) console.error(c.tail());
    process.exitCode = 1;
  } finally {
    for (const c of collectors) if (!c.exited) c.kill9();
    await Promise.all(collectors.map((c) => c.exit));
    fs.rmSync(work, { recursive: true, force: true });
  }
}

await main();
// Loops of failed clients may still be retrying: the verdict is in, end now.
process.exit(process.exitCode ?? 0);
