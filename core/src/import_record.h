// Private to the importer: what a column feeds, the shape of each question, one record's
// answers before it is accepted, and the bounded list of errors and warnings.
#ifndef NAZAR_SRC_IMPORT_RECORD_H_
#define NAZAR_SRC_IMPORT_RECORD_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "nazar/definition.h"
#include "nazar/import.h"

namespace nazar::import_internal {

inline constexpr std::string_view kNoneLabel = "(none)";
inline constexpr std::string_view kOtherLabel = "(other)";
inline constexpr std::string_view kDateColumn = "date";
// Ends the error of a broken record whose later lines are read again (CsvReader::Resumed()),
// followed by the line number: the one line number inside a message, shifted when parts merge.
inline constexpr std::string_view kResumeSuffix = "; reading resumes at line ";

// What one column (CSV) or key (NDJSON) feeds.
struct ColumnRole {
  int question = -1;  // index into the survey's questions
  bool date = false;
  bool by = false;
  bool relevant() const { return question >= 0 || date || by; }
};

// Per question: its shape and where its counters live in a cell.
struct QuestionInfo {
  const Question* q = nullptr;
  bool scale = false;  // q->IsScale(), looked up once
  int min = 0;
  int max = 0;
  size_t width = 0;   // histogram cells
  size_t offset = 0;  // first counter of a cell: counts..., answered, skipped, missing
  std::map<std::string, int, std::less<>> option_index;
  std::vector<uint32_t> option_mark;  // record serial that last chose each option (dedupe)
  std::string option_list;            // " (web, app)" for messages, "" when too long
};

enum class CellKind : uint8_t { kMissing, kSkipped, kValue, kChoices, kText };

// The answer to one question of the record being read, before it is accepted.
struct PendingAnswer {
  CellKind kind = CellKind::kMissing;
  int value = 0;
  uint32_t begin = 0;  // range in the record's chosen options
  uint32_t end = 0;
};

// A scalar JSON value at a member position.
struct JsonScalar {
  enum Type { kNull, kBool, kNumber, kString } type = kNull;
  std::string_view text;  // string contents, or the number/bool as written
  bool integral = false;
  double number = 0;
};

// The errors of rejected records and the warnings of an import, each list bounded by
// ImportOptions::kMaxReportedErrors, in `summary`.
class Diagnostics {
 public:
  explicit Diagnostics(ImportSummary* summary) : summary_(summary) {}
  // Rejects the record that starts at `line` (the first reason is kept).
  void Error(int64_t line, std::string message);
  void Warn(int64_t line, std::string message);

 private:
  ImportSummary* summary_;
};

}  // namespace nazar::import_internal

#endif  // NAZAR_SRC_IMPORT_RECORD_H_
