/* The C ABI of the Nazar core: the only surface JavaScript sees. Coarse JSON in, JSON out.
 *
 * Conventions
 * - Every call returns an int status (NazarStatus, mirrored in web/src/binding/status.ts). 0 is OK.
 * - The payload (on success) or an error {"code": "...", "message": "..."} is written to the
 *   response slot, read with nazar_response_data()/nazar_response_size(). The slot is owned by
 *   C++ and stays valid until the next nazar_* call; JS copies it out at once.
 * - Inputs are UTF-8 byte ranges allocated by JS with nazar_alloc() and freed by JS with
 *   nazar_free() (in a finally block) after the call; the core never keeps the pointer.
 * - Sessions are integer handles owned by the core until nazar_session_destroy().
 * No logic lives behind these functions: they check arguments, call core/, store the result. */
#ifndef NAZAR_ABI_H_
#define NAZAR_ABI_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Status values: identical to nazar::StatusCode (core/include/nazar/result.h). */
enum NazarStatus {
  NAZAR_OK = 0,
  NAZAR_INVALID_ARGUMENT = 1,
  NAZAR_INVALID_DEFINITION = 2,
  NAZAR_NOT_FOUND = 3,
  NAZAR_FAILED_PRECONDITION = 4,
  NAZAR_OUT_OF_RANGE = 5,
  NAZAR_INTERNAL = 6
};

/* Memory for inputs. JS owns what it allocates and frees it after the call. */
void* nazar_alloc(size_t size);
void nazar_free(void* ptr);

/* The response slot of the last call. Owned by C++; valid until the next nazar_* call. */
const char* nazar_response_data(void);
size_t nazar_response_size(void);

/* Slot: {"version": "x.y.z", "abi": 1}. */
int nazar_core_version(void);

/* Validates a definition file (one survey or {"nazar":1,"surveys":[...]}).
 * OK slot: {"surveys": [{"id", "version", "questions": n, "locales": [...]}]}.
 * NAZAR_INVALID_DEFINITION slot: {"code", "message", "errors": [{"pointer", "message"}]}. */
int nazar_definition_validate(const char* text, size_t size);

/* Starts a session. Config: {"definition": <definition file text or object>, "survey": id
 * (optional when the file has one survey), "locale": "fa-IR", "site": "shop.example",
 * "utc_offset_minutes": 210, "inline": false, "mirror": true, "user_activated": false (the
 * placement options, see nazar::EmbedOptions), "mode": "kiosk" (optional), "kiosk": {"batch",
 * "interval_minutes", "idle_seconds"} (optional; core/include/nazar/kiosk.h)}. OK slot:
 * {"handle": n, ...update} (see nazar_session_event).
 * The handle is owned by the core until nazar_session_destroy(). */
int nazar_session_create(const char* config, size_t size);

/* Feeds one user event to a session. Event: {"type": "shown"} once the first question has
 * painted (the update stores the payload that counts the display; the first update has no
 * effect), {"type": "action", "action": a, "value": v} for a
 * click on an element carrying data-nz-action/data-nz-value (with "pointer": true when made with
 * a pointer, not Enter or Space: auto_advance needs it), {"type": "input", "action": a,
 * "value": text} for text entry, {"type": "key", "key": "ArrowRight", "action": a, "value": v}
 * for a key on such an element, {"type": "dismiss"} (the visitor or nazar.hide() closed it: the
 * payload counts a dismissal while a question shows), {"type": "locale", "locale": "fa"}
 * (nazar.setLocale(): re-resolves the locale chain; the update renders the same step in it).
 * Kiosk mode only: {"type": "tick"} (the time an update's "wake_ms" asked for) and {"type":
 * "outbox", "payloads": [tally, ...]} (the outbox's unacknowledged tallies, for the count of
 * unsent answers); kiosk updates carry "wake_ms": n|null and no "close" effect.
 * OK slot (an update): {"view": node, "focus": id|null, "handled": bool, "effects": [...],
 * "events": [...]}. A node is {"t": tag, "k": key, "a": {attr: value}, "x": text, "c": [nodes]}.
 * Effects, in order:
 *   {"type": "store", "batch": B, "send_after_ms": n, "payload": tally}  an unfinished session;
 *       replaces the stored payload of batch B (never one already sent); send after n ms.
 *   {"type": "send", "batch": B, "payload": tally}  the session ended (complete or dismiss).
 *   {"type": "comments", "batch": C, "after": B, "payload": comments}  with "send", only under
 *       privacy.comments "scrubbed" with submitted text: its own batch C, to be sent only on a
 *       later flush than batch B (the next page load or flush()).
 *   {"type": "close"}  remove the widget.
 * Payloads are Contract 3 JSON (core/include/nazar/aggregate.h): a tally has no "kind"; comments
 * have "kind": "comments". Events: {"type": "show"|"dismiss"|"complete", "survey"} and
 * {"type": "answer", "survey", "question"}: never an answer's value, and only for questions
 * without show_if (an event for a question shown only on some answers would reveal them), so the
 * sequence of events is the same whatever the answers. */
int nazar_session_event(int32_t handle, const char* event, size_t size);

/* Ends a session and frees it. NAZAR_NOT_FOUND for an unknown handle. */
int nazar_session_destroy(int32_t handle);

/* Number of live sessions (>= 0), for leak tests. Does not touch the slot. */
int nazar_session_live(void);

/* Decides which survey, if any, shows now. Request: {"definition": <file text or object>,
 * "survey": id (optional), "facts": {"kind", "event", "url_path", "scroll_percent",
 * "dwell_seconds", "now_ms"}, "history": {"<survey id>": {"displays", "last_display_ms",
 * "completed", "sample_draw"}}}. OK slot: {"show": {"survey", "delay_ms"} | null,
 * "decisions": [{"survey", "show", "reason", "sample_draw"?}], "wait"?: {"scroll_percent"?,
 * "dwell_seconds"?}}. A decision's sample_draw is a fresh draw in [0, 1) to store in the
 * history under its survey (so the visitor is never drawn again); "wait" gives the smallest
 * scroll percent / dwell seconds at which asking again could show a survey. */
int nazar_targeting_decide(const char* request, size_t size);

/* Builds a report from aggregate payloads. Request: {"survey": <definition object, optional>,
 * "aggregates": [payload, ...], "min_count": 5}. OK slot: a Contract 4 report. */
int nazar_report_build(const char* request, size_t size);

/* ---- Import: score an exported file in chunks (the analyze page's worker) ----
 * An import is an integer handle owned by the core until nazar_import_destroy(); several may
 * be live at once. The file's bytes go through nazar_import_feed in chunks of any size and
 * split; memory stays flat (the core keeps one partial record and the cell table). */

/* A proposal of the column mapping from the first bytes of a file (up to 256 KiB or 1,000
 * records): format, delimiter, encoding, each column's proposed role with samples, segment
 * candidates, extra header rows and whether dd/mm vs mm/dd is open (core's ProposeMapping; JSON in
 * core/include/nazar/mapping.h). NAZAR_INVALID_ARGUMENT when there is no header row.
 * OK slot: the MappingProposal JSON. */
int nazar_import_propose(const char* head, size_t size);

/* Starts an import. Options (every member optional):
 *   {"format": "auto" (default: NDJSON when the first non-blank byte is '{', else CSV) | "csv"
 *              | "ndjson",
 *    "delimiter": "" (default: detected from the header line) | "," | ";" | "	",
 *    "by": column whose values make the segments ("" or absent: none),
 *    "period": "day" | "week" | "month" | null (buckets by the "date" column),
 *    "calendar": "gregorian" | "jalali" (Solar Hijri period labels),
 *    "mapping": the columns the analyst confirmed (core/include/nazar/mapping.h, ColumnMapping
 *               JSON: columns by index, extra header rows, date format); its segment column
 *               replaces "by"; errors start with "/mapping/...",
 *    "survey": a definition (file text or object) whose questions are scored; without one the
 *              columns nps (0-10), csat (1-5) and ces (1-7) are,
 *    "survey_id": the survey of a definition file holding several,
 *    "min_count": n >= 5 (default 5): cells and questions below it are marked low_precision}.
 * The report is never suppressed (the analyst's own file). An unknown member or a bad value is
 * NAZAR_INVALID_ARGUMENT whose message starts with its JSON pointer ("/period: ..."); a bad
 * survey NAZAR_INVALID_DEFINITION, an unknown survey_id NAZAR_NOT_FOUND.
 * OK slot: {"handle": n}. */
int nazar_import_begin(const char* options, size_t size);

/* Feeds the next bytes of the file (any split, any size; size 0 is allowed). The core copies
 * what it keeps; JS may reuse the buffer at once.
 * OK slot: {"rows": records read, "bytes": bytes fed, "bad_rows": records rejected}, all so far.
 * NAZAR_NOT_FOUND for an unknown handle, NAZAR_FAILED_PRECONDITION after nazar_import_finish. */
int nazar_import_feed(int32_t handle, const char* data, size_t size);

/* The import's CSV record kernel compiled for this file's layout (core: ResponseImporter::
 * KernelModule()): a WebAssembly module importing "env" "memory" (this module's memory) and
 * exporting "run" (i32, i32, i32) -> i32, available once the header has been read. The reports are
 * the same with or without it. OK slot: the module's bytes (not JSON), none when there is no such
 * module (header not read yet, NDJSON, a layout the kernel does not take) or one is in use.
 * NAZAR_NOT_FOUND for an unknown handle. */
int nazar_import_kernel(int32_t handle);

/* Hands the import that module's "run", instantiated over this module's memory and placed in this
 * module's function table at `table_index` (the analyze module's table grows). OK slot: {}.
 * NAZAR_INVALID_ARGUMENT for index 0 or a negative one, NAZAR_NOT_FOUND for an unknown handle,
 * NAZAR_FAILED_PRECONDITION when nazar_import_kernel has offered no module (or it is in use). */
int nazar_import_use_kernel(int32_t handle, int32_t table_index);

/* Ends the input and scores it. OK slot: the report (Contract 4, unsuppressed: "low_precision"
 * marks below min_count) plus "import": {"format", "rows", "bad_rows", "errors": [{"line",
 * "message"}] (the first 20 rejected records), "warnings": [...]}. Calling it again returns the
 * same report. The handle stays valid for nazar_import_compare until nazar_import_destroy().
 * NAZAR_NOT_FOUND for an unknown handle. */
int nazar_import_finish(int32_t handle);

/* Compares two cells of a finished import with the tests of METRICS.md ("Comparisons").
 * Request: {"a": cell, "b": cell}, a cell being {"segment": s}, {"period": p} or both (a segment
 * x period cell); a is the baseline. OK slot: {"a": cell, "b": cell, "from": null, "to": null,
 * "questions": {id: {"type", "a": side, "b": side, "verdict"[, "test", "diff", "ci95",
 * "p_value", "significant"]}}} (Contract 4 "compare"; a side is {"n", "score" | "mean",
 * "ci95"}; verdict "up", "down", "no_change", "not_enough_data" or "not_comparable").
 * NAZAR_INVALID_ARGUMENT for a malformed request, the same cell twice or cells of different
 * kinds (pointer or "a and b ..." in the message), NAZAR_NOT_FOUND for an unknown handle or a
 * cell the report lacks, NAZAR_FAILED_PRECONDITION before nazar_import_finish. */
int nazar_import_compare(int32_t handle, const char* request, size_t size);

/* Frees an import. OK slot: {}. NAZAR_NOT_FOUND for an unknown or destroyed handle. */
int nazar_import_destroy(int32_t handle);

/* One file scored in two parts at once (two workers), merged into exactly one import's report
 * (core: ResponseImporter, "One file read in two parts"). The first import is fed [0, b) of the
 * file, b just after a "\n"; the second, a continuation, gets the file's head here, then
 * nazar_import_feed of [b, end), then nazar_import_export_state; the first takes that state with
 * nazar_import_absorb, then nazar_import_finish gives the whole file's report.
 *
 * Makes a new import (nothing fed yet) a continuation: reads `head` (the file's first bytes) only
 * as far as the header reaches (CSV: the header row and extra header rows; NDJSON: nothing).
 * OK slot: {"header_bytes": bytes of head used}. NAZAR_FAILED_PRECONDITION when head ends inside
 * the header, the file is UTF-16 or bytes were fed already (then score the file in one import),
 * NAZAR_NOT_FOUND for an unknown handle. */
int nazar_import_continue(int32_t handle, const char* head, size_t size);

/* Ends a continuation's input. OK slot: its partial result (binary, for this same module only:
 * core/src/import_state.h) for nazar_import_absorb; the import takes no more bytes.
 * NAZAR_FAILED_PRECONDITION for an import that is not a continuation or is finished,
 * NAZAR_NOT_FOUND for an unknown handle. */
int nazar_import_export_state(int32_t handle);

/* Adds a continuation's state to the import fed the part before it (its line numbers shifted to
 * the file's). OK slot: {}. NAZAR_FAILED_PRECONDITION, with nothing changed, when b fell inside a
 * record (a line end inside quotes) or a segment, period or cell cap makes the parts differ from
 * one import: then feed this import the rest of the file. NAZAR_INVALID_ARGUMENT for a malformed
 * state, NAZAR_NOT_FOUND for an unknown handle. */
int nazar_import_absorb(int32_t handle, const char* state, size_t size);

/* Prio3 (issue 10, draft-irtf-cfrg-vdaf-20): only in a module built with prio3.exports, never in
 * the widget module. Splits one Prio3Histogram measurement into secret shares for DAP, with
 * randomness (and, when "nonce" is absent, the report's nonce) from the platform's cryptographic
 * source. Request: {"length": buckets, "chunk_length": n (when absent, the one with the smallest
 * proof: nazar::prio3::HistogramChunkLength), "shares": aggregators (2 when absent, up to 255),
 * "measurement": bucket index, "ctx": application context as hex (empty when absent), "nonce":
 * 16 bytes as hex (optional)}. OK slot: {"public_share": hex, "input_shares": [hex per
 * aggregator, the leader first], "nonce": hex, "chunk_length": n}, in the draft's wire
 * encodings.
 * NAZAR_INVALID_ARGUMENT for a malformed request or a measurement outside 0..length-1 (the
 * message names the member). */
int nazar_prio3_histogram_shard(const char* request, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* NAZAR_ABI_H_ */
