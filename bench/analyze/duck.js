// DuckDB-wasm 1.32 as the bench page runs it: the manual bundles served by the bench's own
// loopback server (never a CDN), an AsyncDuckDB in its worker, read_csv plus one GROUP BY
// GROUPING SETS ((), (month), (locale)) query whose columns are the histogram counts.
import * as duckdb from '@duckdb/duckdb-wasm';
import { kWidth } from './histogram.js';

const kBundles = {
  mvp: { mainModule: '/duck/duckdb-mvp.wasm', mainWorker: '/duck/duckdb-browser-mvp.worker.js' },
  eh: { mainModule: '/duck/duckdb-eh.wasm', mainWorker: '/duck/duckdb-browser-eh.worker.js' },
};

const hist = (col, lo, hi) => Array.from({ length: hi - lo + 1 },
  (_, k) => `count(*) FILTER (WHERE ${col} = ${lo + k}) AS ${col}_${lo + k}`).join(', ');

// The whole query over a registered file: histogram columns in the order of histogram.js.
function sql(name) {
  return `SELECT GROUPING(month) AS g_month, GROUPING(locale) AS g_locale, month, locale,
    count(*) AS rows, ${hist('nps', 0, 10)}, count(nps) AS nps_n,
    ${hist('csat', 1, 5)}, count(csat) AS csat_n, ${hist('ces', 1, 7)}, count(ces) AS ces_n
  FROM (SELECT strftime(date, '%Y-%m') AS month, locale, nps, csat, ces
        FROM read_csv('${name}', header = true, delim = ',', quote = '"', escape = '"',
             columns = {'date': 'DATE', 'nps': 'TINYINT', 'csat': 'TINYINT', 'ces': 'TINYINT',
                        'locale': 'VARCHAR', 'comment': 'VARCHAR'}))
  GROUP BY GROUPING SETS ((), (month), (locale))`;
}

// The Arrow result as a histogram set.
function toSet(table) {
  const set = {};
  for (const row of table.toArray()) {
    const r = row.toJSON();
    let key = `locale ${r.locale}`;
    if (r.g_month && r.g_locale) key = 'all';
    else if (r.g_locale) key = `month ${r.month}`;
    const cols = Object.keys(r).slice(4);
    if (cols.length !== kWidth) throw new Error(`duckdb: ${cols.length} count columns`);
    set[key] = cols.map((c) => Number(r[c]));
  }
  return set;
}

/** Opens one database (timed by the caller as "instantiate": worker + wasm compile + init). */
export async function open() {
  const bundle = await duckdb.selectBundle(kBundles);
  const t0 = performance.now();
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), new Worker(bundle.mainWorker));
  await db.instantiate(bundle.mainModule, bundle.pthreadWorker);
  const instantiateMs = performance.now() - t0;
  const conn = await db.connect();
  // read_csv is built in; never reach for an extension over the network.
  await conn.query('SET autoinstall_known_extensions = false');
  await conn.query('SET autoload_known_extensions = false');
  let loaded = false;
  return {
    instantiateMs,
    bundle: bundle.mainModule,
    // Untimed: the file's bytes registered as an in-memory buffer of the database.
    async load(file) {
      await db.registerFileBuffer('mem.csv', new Uint8Array(await file.arrayBuffer()));
      loaded = true;
    },
    async scoreBytes() {
      if (!loaded) throw new Error('duckdb: load first');
      return toSet(await conn.query(sql('mem.csv')));
    },
    // From the File: register it (read through FileReader on demand), query, unregister.
    async scoreFile(file) {
      await db.registerFileHandle('file.csv', file,
        duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
      const set = toSet(await conn.query(sql('file.csv')));
      await db.dropFile('file.csv');
      return set;
    },
    async close() {
      await conn.close();
      await db.terminate();
    },
  };
}
