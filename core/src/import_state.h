// Private to the importer: the partial result of a continuation (one file read in two parts,
// import_merge.cc) as the bytes that travel from one worker or thread to the other. A compact
// binary form, not JSON: the analyze page waits for it between reading the last byte and showing
// the report, and parsing a JSON DOM of a few thousand counters took a millisecond of that in
// wasm. It is no file format: both ends are the same build. The reader checks every length,
// count and range (counts and lines from 0 to 2^50, days within about 4700 years of 1970, cells
// of the state's own labels), and Absorb() the format, options, header and questions, so other
// bytes are an error that says what and at which byte; bytes that pass all that are taken as the
// part they describe.
//
// Layout: "NZS" and a version byte (1), then the members of PartState in declaration order;
// integers as LEB128 varints (signed ones zigzag-coded), flags as one byte (0 or 1), strings as
// a varint length and their bytes (any bytes: labels and messages quote the file), lists as a
// varint count and their elements.
#ifndef NAZAR_SRC_IMPORT_STATE_H_
#define NAZAR_SRC_IMPORT_STATE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "nazar/result.h"

namespace nazar::import_internal {

// A CellTable's cells with their labels (CellTable::ExportState()).
struct CellTableState {
  bool capped = false;  // a segment, period or cell cap was reached
  std::vector<std::string> segments;
  std::vector<std::string> periods;
  size_t counters = 0;  // per cell
  struct Cell {
    int64_t segment = -1;  // index into segments, -1 for none
    int64_t period = -1;   // index into periods, -1 for none
    int64_t rows = 0;
  };
  std::vector<Cell> cells;
  std::vector<int64_t> counts;  // cells.size() * counters, cell by cell
};

// An error or warning of the part: its line (the part's own numbering), the message, and a flag
// (errors: the line reading resumes at, kept apart so that it can be shifted, or 0; warnings: 1
// for the Solar Hijri note).
struct StateEntry {
  int64_t line = 0;
  std::string message;
  int64_t flag = 0;
};

// Everything a continuation's records added (RecordBuilder::ExportState()), and which importer
// it came from (ResponseImporter::ExportState()).
struct PartState {
  std::string format;      // ImportFormatName()
  std::string options;     // what else decides the cells (ResponseImporter::ExportState())
  int64_t first_line = 1;  // the line its part started at, in its own numbering
  // CSV: the header's column count and kept column names (NDJSON: 0 and none).
  int64_t column_count = 0;
  std::vector<std::string> columns;
  int64_t rows = 0;
  int64_t bad_rows = 0;
  std::vector<StateEntry> errors;
  std::vector<StateEntry> warnings;
  bool solar = false;  // the Solar Hijri note was said
  std::vector<bool> seen;
  bool by_seen = false;
  bool date_seen = false;
  bool has_days = false;
  int64_t first_day = 0, last_day = 0;
  CellTableState cells;
};

std::string EncodeState(const PartState& state);
// kInvalidArgument ("import state: ... at byte N") for bytes that are not an EncodeState().
Result<PartState> DecodeState(std::string_view bytes);

}  // namespace nazar::import_internal

#endif  // NAZAR_SRC_IMPORT_STATE_H_
