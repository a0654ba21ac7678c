// Helpers shared by the importer's test files (import_test.cc, mapping_test.cc): an import fed
// in pieces, a comparable rendering of its result, and one question's tally of a cell.
#ifndef NAZAR_TESTS_CORE_IMPORT_TEST_UTIL_H_
#define NAZAR_TESTS_CORE_IMPORT_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "nazar/import.h"
#include "nazar/report.h"

namespace nazar::testing {

// What an import produced.
struct Imported {
  ImportSummary summary;
  std::vector<ReportCellInput> cells;
};

// Imports the input fed as the given pieces.
inline Imported ImportAll(const ImportOptions& options, const std::vector<std::string>& pieces) {
  ResponseImporter importer(options);
  for (const std::string& piece : pieces) importer.Feed(piece);
  importer.Finish();
  return {importer.summary(), importer.Cells()};
}

// Imports `input` fed whole.
inline Imported ImportAll(const ImportOptions& options, const std::string& input) {
  return ImportAll(options, std::vector<std::string>{input});
}

// A complete, comparable rendering of an import result.
inline std::string Describe(const Imported& r) {
  std::string out = "rows=" + std::to_string(r.summary.rows) +
                    " bad=" + std::to_string(r.summary.bad_rows) + " from=" + r.summary.from +
                    " to=" + r.summary.to + "\n";
  for (const ImportError& e : r.summary.errors) out += "E " + e.ToString() + "\n";
  for (const ImportError& e : r.summary.warnings) out += "W " + e.ToString() + "\n";
  for (const ReportCellInput& c : r.cells) {
    out += "[" + c.segment + "|" + c.period + "] d=" + std::to_string(c.tally.displays) +
           " c=" + std::to_string(c.tally.completions) + "\n";
    for (const QuestionTally& q : c.tally.questions) {
      out += "  " + q.id + " n=" + std::to_string(q.answered) +
             " skipped=" + std::to_string(q.skipped) + " counts=";
      for (double v : q.counts) out += std::to_string(static_cast<long long>(v)) + ",";
      out += "\n";
    }
  }
  return out;
}

// The tally of question `id` in `cell` (a test failure when there is none).
inline const QuestionTally& Q(const ReportCellInput& cell, const std::string& id) {
  for (const QuestionTally& q : cell.tally.questions) {
    if (q.id == id) return q;
  }
  static const QuestionTally kMissing;
  ADD_FAILURE() << "no question " << id;
  return kMissing;
}

}  // namespace nazar::testing

#endif  // NAZAR_TESTS_CORE_IMPORT_TEST_UTIL_H_
