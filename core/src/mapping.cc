// The column-mapping proposal and the mapping's JSON (nazar/mapping.h).
#include "nazar/mapping.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "import_builder.h"
#include "import_csv.h"
#include "import_utf16.h"
#include "nazar/answers.h"
#include "nazar/date.h"
#include "nazar/i18n.h"
#include "text_util.h"

namespace nazar {
namespace {

using text::Trim;

constexpr int kMaxDistinct = 50;  // segment candidates; "distinct" is capped one above
constexpr size_t kMaxSamples = 3;
constexpr int kMaxIdBytes = 40;

// ---- Reading the head ----

// A table of cells: the header row first, then the records.
using Rows = std::vector<std::vector<std::string>>;

// The records of a CSV text as the importer splits them (CsvReader: delimiter sniffing, quotes,
// blank lines, field caps), the header first, at most `max_records` of them; whether the importer
// would reject each for its structure.
class RowCollector : public import_internal::CsvRecordSink {
 public:
  explicit RowCollector(size_t max_records) : max_records_(max_records) {}
  bool Record(const std::vector<std::string_view>& fields, bool broken) override {
    rows.emplace_back(fields.begin(), fields.end());
    broken_rows.push_back(broken);
    return rows.size() < max_records_;
  }
  Rows rows;
  std::vector<bool> broken_rows;

 private:
  size_t max_records_;
};

// Reads `text` (UTF-8) through the importer's CSV reader; `cut`: the text is the start of a longer
// file, so a last record without line end is left out. Sets *delimiter to the one it detected.
RowCollector ReadCsvHead(std::string_view text, size_t max_records, bool cut, char* delimiter) {
  RowCollector rows(max_records);
  import_internal::RecordBuilder builder{ImportOptions()};
  import_internal::CsvReader reader(&builder, &rows);
  constexpr size_t kPiece = size_t{16} << 10;  // stops soon after max_records
  for (size_t at = 0; at < text.size() && !reader.sink_done(); at += kPiece) {
    reader.Feed(text.substr(at, kPiece));
  }
  if (!cut && !reader.sink_done()) reader.Finish();
  *delimiter = reader.delimiter();
  return rows;
}

// A JSON value as a cell: strings as they are, numbers and booleans as written, null "".
std::string CellOfJson(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return JsonText(v);
}

// NDJSON lines as rows: the header is the keys in order of first appearance.
Rows SplitNdjson(std::string_view text, size_t max_records, bool cut) {
  Rows rows(1);
  std::map<std::string, size_t, std::less<>> column_of;
  size_t start = 0;
  while (start < text.size() && rows.size() <= max_records) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      if (cut) break;
      end = text.size();
    }
    const std::string_view line = Trim(text.substr(start, end - start));
    start = end + 1;
    if (line.empty()) continue;
    const Json obj = ParseJson(line.data(), line.data() + line.size());
    if (!obj.is_object()) continue;
    std::vector<std::string> row(rows[0].size());
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      auto [pos, added] = column_of.emplace(it.key(), rows[0].size());
      if (added) {
        rows[0].push_back(it.key());
        row.emplace_back();
      }
      row[pos->second] = CellOfJson(it.value());
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

// ---- Looking at values ----

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// A whole number in any digits ("7", "۷", "7.0"): its value.
std::optional<int> WholeNumber(std::string_view raw) {
  std::string normalized = NormalizeDigits(Trim(raw));
  std::string_view s = Trim(normalized);
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  size_t i = 0;
  int64_t v = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i < 9) v = v * 10 + (s[i++] - '0');
  if (i == 0) return std::nullopt;
  if (i < s.size()) {
    if (s[i] != '.' || i + 1 == s.size()) return std::nullopt;
    for (size_t j = i + 1; j < s.size(); ++j) {
      if (s[j] != '0') return std::nullopt;
    }
  }
  return static_cast<int>(negative ? -v : v);
}

// Any number, decimals included ("12.5"): an answer-like cell, not a header.
bool IsNumber(std::string_view raw) {
  std::string normalized = NormalizeDigits(Trim(raw));
  std::string_view s = Trim(normalized);
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  bool digit = false, dot = false;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      digit = true;
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      return false;
    }
  }
  return digit;
}

constexpr DateFormat kAllFormats[] = {{DateOrder::kYmd, Calendar::kGregorian},
                                      {DateOrder::kDmy, Calendar::kGregorian},
                                      {DateOrder::kMdy, Calendar::kGregorian},
                                      {DateOrder::kYmd, Calendar::kJalali}};

bool IsDate(std::string_view s) {
  for (const DateFormat& f : kAllFormats) {
    if (ParseDay(s, f)) return true;
  }
  return false;
}

struct ScaleKind {
  QuestionType type;
  int scale;
  int min, max;
};
constexpr ScaleKind kNps{QuestionType::kNps, 11, 0, 10};
constexpr ScaleKind kCsat{QuestionType::kCsat, 5, 1, 5};
constexpr ScaleKind kCes{QuestionType::kCes, 7, 1, 7};

bool IsScaleLabel(std::string_view s) {
  for (const ScaleKind& k : {kCsat, kCes, kNps}) {
    if (ScalePointOfText(s, k.type, k.scale)) return true;
  }
  return false;
}

// A cell a respondent could have written: a number, a date or a scale label.
bool AnswerLike(std::string_view raw) {
  const std::string_view s = Trim(raw);
  return !s.empty() && (IsNumber(s) || IsDate(s) || IsScaleLabel(s));
}

// Qualtrics' third header row: {"ImportId":"QID1"}.
bool IsImportIdCell(std::string_view raw) {
  return Lower(Trim(raw)).rfind("{\"importid\"", 0) == 0;
}

// ---- Names ----

bool HasWord(const std::string& lower, std::string_view word) {
  size_t pos = 0;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  while ((pos = lower.find(word, pos)) != std::string::npos) {
    const bool left = pos == 0 || !alnum(lower[pos - 1]);
    const size_t end = pos + word.size();
    const bool right = end >= lower.size() || !alnum(lower[end]);
    if (left && right) return true;
    ++pos;
  }
  return false;
}

bool HasAny(const std::string& lower, std::initializer_list<std::string_view> parts) {
  for (std::string_view p : parts) {
    if (lower.find(p) != std::string::npos) return true;
  }
  return false;
}

// The question type a header (or question text) names. "پیشنهاد" (to suggest, also to
// recommend) names NPS only with "احتمال" (how likely): alone it is as often a column of
// suggestions ("پیشنهادات").
std::optional<ScaleKind> TypeOfName(const std::string& lower) {
  if (HasWord(lower, "nps") ||
      HasAny(lower, {"recommend", "net promoter", "توصیه", "توصی", "توصي"}) ||
      (HasAny(lower, {"احتمال"}) && HasAny(lower, {"پیشنهاد", "پيشنهاد"}))) {
    return kNps;
  }
  if (HasWord(lower, "csat") || HasAny(lower, {"satisf", "راضی", "راضي", "رضا"})) return kCsat;
  if (HasWord(lower, "ces") ||
      HasAny(lower, {"effort", "easy", "ease of", "آسان", "سهولة", "سهل"})) {
    return kCes;
  }
  return std::nullopt;
}

bool IsDateName(const std::string& lower) {
  return HasWord(lower, "date") ||
         HasAny(lower, {"timestamp", "recorded", "submitted", "تاریخ", "التاريخ", "تاريخ"});
}

bool IsSegmentName(const std::string& lower) {
  for (std::string_view w : {"locale", "language", "lang", "channel", "country", "region",
                             "segment", "device", "platform"}) {
    if (HasWord(lower, w)) return true;
  }
  return HasAny(lower, {"زبان", "کانال", "اللغة", "القناة"});
}

bool IsTextName(const std::string& lower) {
  for (std::string_view w : {"comment", "comments", "feedback", "why"}) {
    if (HasWord(lower, w)) return true;
  }
  return HasAny(lower, {"نظر", "توضیح", "تعليق", "ملاحظات"});
}

// "Q7_1" -> "q7_1"; "" when the name has no ASCII letter or digit.
std::string Slug(std::string_view name) {
  std::string out;
  for (char c : name) {
    const char l = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    if ((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9')) {
      if (out.size() >= kMaxIdBytes) break;
      out += l;
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

// What the proposal learns about one column from the data rows.
struct ColumnStats {
  std::vector<std::string_view> values;  // non-empty, trimmed
  std::set<std::string_view> distinct;   // capped at kMaxDistinct + 1
  std::vector<std::string> samples;
  bool numeric = false;
  int min = 0, max = 0;
};

ColumnStats Analyze(const Rows& rows, size_t first, size_t col) {
  ColumnStats st;
  for (size_t r = first; r < rows.size(); ++r) {
    if (col >= rows[r].size()) continue;
    const std::string_view v = Trim(rows[r][col]);
    if (v.empty()) continue;
    st.values.push_back(v);
    if (st.distinct.size() <= static_cast<size_t>(kMaxDistinct) && st.distinct.insert(v).second &&
        st.samples.size() < kMaxSamples) {
      st.samples.emplace_back(v);
    }
  }
  st.numeric = !st.values.empty();
  bool any = false;
  for (std::string_view v : st.values) {
    const std::optional<int> n = WholeNumber(v);
    if (!n) {
      st.numeric = false;
      break;
    }
    st.min = any ? std::min(st.min, *n) : *n;
    st.max = any ? std::max(st.max, *n) : *n;
    any = true;
  }
  return st;
}

// The values are dates in the one format GuessDateFormat picks, all but a few: at most one in
// 20 (rounded up) is no date ("N/A"; the import then rejects its row, with its line), and more
// are dates than not. So one "N/A" among 3 samples does not hide a date column.
bool IsDateColumn(const ColumnStats& st) {
  const DateFormatGuess guess = GuessDateFormat(st.values);
  const int misses = guess.tried - guess.parsed;
  return guess.parsed > 0 && misses * 20 <= guess.tried + 19 && guess.parsed > misses;
}

bool AllLabels(const ColumnStats& st, const ScaleKind& k) {
  if (st.values.empty()) return false;
  for (std::string_view v : st.values) {
    if (!ScalePointOfText(v, k.type, k.scale)) return false;
  }
  return true;
}

// The scale a column of `type` is imported with (ColumnProposal::scales): NPS 11; CSAT 5 unless
// the column's whole numbers go higher (7 up to 7, else 10); CES 7 (the agreement labels are
// 7-point); a rating the column's largest whole number within 3-10, 5 without numbers.
int ScaleOf(const ColumnStats& st, QuestionType type) {
  const bool numbers = st.numeric && !st.values.empty();
  switch (type) {
    case QuestionType::kNps:
      return 11;
    case QuestionType::kCsat:
      return !numbers || st.max <= 5 ? 5 : st.max <= 7 ? 7 : 10;
    case QuestionType::kCes:
      return 7;
    default:
      return numbers ? std::clamp(st.max, 3, 10) : 5;
  }
}

// A column its header or question text names as `k`: the scale to use when more of its values
// are points of that scale (whole numbers in range, or its labels) than not, else 0. A few bad
// answers in a column called "nps" are then the import's row errors, each with its line, instead
// of hiding the column; a column of mostly other text ("NPS comment") is no question. A CSAT
// scale follows the values that are 1-10 (5 unless they go higher, 7 up to 7, else 10).
int FitsByName(const ColumnStats& st, const ScaleKind& k) {
  if (st.values.empty()) return k.scale;
  int scale = k.scale;
  if (k.type == QuestionType::kCsat) {
    int max = 0;
    for (std::string_view v : st.values) {
      const std::optional<int> n = WholeNumber(v);
      if (n && *n >= 1 && *n <= 10) max = std::max(max, *n);
    }
    scale = max <= 5 ? 5 : max <= 7 ? 7 : 10;
  }
  size_t fit = 0;
  for (std::string_view v : st.values) {
    if (ScalePointOfText(v, k.type, scale)) ++fit;
  }
  return fit * 2 > st.values.size() ? scale : 0;
}

// `cell` repeats or extends the header name `name` of its column, ignoring case, spaces and
// punctuation ("Start Date" under "StartDate", "Progress" under "Progress").
bool EchoesName(std::string_view cell, std::string_view name) {
  auto squash = [](std::string_view s) {
    std::string out;
    for (char c : Lower(s)) {
      if (static_cast<unsigned char>(c) >= 0x80 || (c >= 'a' && c <= 'z') ||
          (c >= '0' && c <= '9')) {
        out += c;
      }
    }
    return out;
  };
  const std::string a = squash(cell), b = squash(name);
  return !a.empty() && !b.empty() &&
         (a.find(b) != std::string::npos || b.find(a) != std::string::npos);
}

// Extra header rows after the header (at most kMaxExtraHeaderRows). A row is one when it holds
// an {"ImportId":...} cell (Qualtrics' third row), or when it looks like header text and not like
// a respondent:
// - no cell is answer-like (a number, a date, a scale label) while later rows have such cells;
// - a cell repeats or extends its column's header name (Qualtrics' question texts: "Start Date"
//   under "StartDate"), or two cells of the row are the same text (SurveyMonkey's "Response",
//   "Response", ...), or a cell is text above a column whose later values are all scale answers
//   (SurveyMonkey's single "Response" over a survey's one closed question);
// - no cell is a value its column has again in later rows ("en" of a locale column);
// - no cell is empty in a column whose later values are all scale answers (a respondent who
//   skipped the question; SurveyMonkey leaves only its ID and date columns empty).
int CountExtraHeaderRows(const Rows& rows) {
  int skip = 0;
  const std::vector<std::string>& header = rows[0];
  while (skip < ColumnMapping::kMaxExtraHeaderRows && static_cast<size_t>(skip) + 1 < rows.size()) {
    const size_t at = static_cast<size_t>(skip) + 1;
    const std::vector<std::string>& row = rows[at];
    bool import_id = false, answer = false, echoes = false, later_answers = false;
    std::set<std::string_view> cells;
    for (size_t col = 0; col < row.size(); ++col) {
      const std::string_view cell = Trim(row[col]);
      import_id |= IsImportIdCell(cell);
      answer |= AnswerLike(cell);
      if (cell.empty()) continue;
      echoes |= col < header.size() && EchoesName(cell, header[col]);
      echoes |= !cells.insert(cell).second;
    }
    bool respondent = answer;
    for (size_t col = 0; col < row.size() && !respondent; ++col) {
      const std::string_view cell = Trim(row[col]);
      bool any = false, all_scale = true;
      for (size_t r = at + 1; r < rows.size() && !respondent; ++r) {
        if (col >= rows[r].size()) continue;
        const std::string_view later = Trim(rows[r][col]);
        if (later.empty()) continue;
        any = true;
        if (AnswerLike(later)) later_answers = true;
        all_scale = all_scale && IsScaleLabel(later);
        respondent = !cell.empty() && later == cell;
      }
      respondent |= cell.empty() && any && all_scale;
      // Text above a column of scale answers is a header ("Response" over SurveyMonkey's one
      // closed question), since the row has no answer-like cell.
      echoes |= !cell.empty() && any && all_scale;
    }
    if (!later_answers) {
      for (size_t r = at + 1; r < rows.size() && !later_answers; ++r) {
        for (const std::string& later : rows[r]) later_answers |= AnswerLike(later);
      }
    }
    if (import_id || (!respondent && echoes && later_answers)) {
      ++skip;
    } else {
      break;
    }
  }
  return skip;
}

// ---- JSON ----

Status Invalid(const std::string& pointer, const std::string& message) {
  return Status(StatusCode::kInvalidArgument, pointer + ": " + message);
}

std::string Show(const Json& v) { return JsonText(v); }

Json AssignmentToJson(const ColumnAssignment& a) {
  Json j = {{"column", a.column}, {"kind", ColumnRoleKindName(a.kind)}, {"id", a.id}};
  if (a.kind == ColumnRoleKind::kQuestion) {
    j["type"] = QuestionTypeName(a.type);
    j["scale"] = a.scale;
  }
  j["name"] = a.name;
  return j;
}

Result<ColumnAssignment> AssignmentFromJson(const Json& j, const std::string& at) {
  if (!j.is_object()) return Invalid(at, "expected an object");
  ColumnAssignment a;
  const auto column = j.find("column");
  int64_t col = 0;
  if (column == j.end()) return Invalid(at + "/column", "missing (a 0-based column index)");
  if (!JsonIntInRange(*column, 0, ImportOptions::kMaxColumns - 1, &col)) {
    return Invalid(at + "/column", Show(*column) + " is not a column index (0-" +
                                       std::to_string(ImportOptions::kMaxColumns - 1) + ")");
  }
  a.column = static_cast<int>(col);
  const auto kind = j.find("kind");
  if (kind == j.end()) return Invalid(at + "/kind", "missing");
  bool known = false;
  for (ColumnRoleKind k :
       {ColumnRoleKind::kIgnore, ColumnRoleKind::kQuestion, ColumnRoleKind::kDate,
        ColumnRoleKind::kSegment, ColumnRoleKind::kText}) {
    if (kind->is_string() && kind->get<std::string>() == ColumnRoleKindName(k)) {
      a.kind = k;
      known = true;
    }
  }
  if (!known) {
    return Invalid(at + "/kind", Show(*kind) +
                                     " is not a column kind (use ignore, question, date, "
                                     "segment or text)");
  }
  if (const auto name = j.find("name"); name != j.end()) {
    if (!name->is_string()) return Invalid(at + "/name", "expected a string");
    a.name = name->get<std::string>();
  }
  const auto id = j.find("id");
  if (id != j.end()) {
    if (!id->is_string()) return Invalid(at + "/id", "expected a string");
    a.id = id->get<std::string>();
  }
  if (a.kind != ColumnRoleKind::kQuestion && a.kind != ColumnRoleKind::kText) return a;
  if (a.id.empty()) return Invalid(at + "/id", "a question needs an id");
  if (a.kind == ColumnRoleKind::kText) {
    a.type = QuestionType::kText;
    return a;
  }
  const auto type = j.find("type");
  if (type == j.end()) return Invalid(at + "/type", "missing (nps, csat, ces or rating)");
  known = false;
  for (QuestionType t :
       {QuestionType::kNps, QuestionType::kCsat, QuestionType::kCes, QuestionType::kRating}) {
    if (type->is_string() && type->get<std::string>() == QuestionTypeName(t)) {
      a.type = t;
      known = true;
    }
  }
  if (!known) {
    return Invalid(at + "/type",
                   Show(*type) + " is not a scale type (use nps, csat, ces or rating)");
  }
  const auto scale = j.find("scale");
  int64_t points = 0;
  if (scale == j.end()) {
    points = a.type == QuestionType::kNps    ? 11
             : a.type == QuestionType::kCsat ? 5
             : a.type == QuestionType::kCes  ? 7
                                             : 0;
    if (points == 0) return Invalid(at + "/scale", "missing (a rating needs its points, 3-10)");
  } else if (!JsonIntInRange(*scale, 0, 100, &points) ||
             !IsValidScale(a.type, static_cast<int>(points))) {
    return Invalid(at + "/scale", Show(*scale) + " is not a valid scale for " +
                                      QuestionTypeName(a.type) + " (" + ValidScalesHint(a.type) +
                                      ")");
  }
  a.scale = static_cast<int>(points);
  return a;
}

}  // namespace

Json ColumnMappingToJson(const ColumnMapping& mapping) {
  Json columns = Json::array();
  for (const ColumnAssignment& a : mapping.columns) columns.push_back(AssignmentToJson(a));
  return {{"columns", std::move(columns)},
          {"extra_header_rows", mapping.extra_header_rows},
          {"date_format", DateFormatName(mapping.date_format)}};
}

Json MappingProposalToJson(const MappingProposal& p) {
  Json columns = Json::array();
  for (const ColumnProposal& c : p.columns) {
    Json j = {
        {"column", c.column}, {"name", c.name},         {"proposed", AssignmentToJson(c.proposed)},
        {"reason", c.reason}, {"distinct", c.distinct}, {"numeric", c.numeric}};
    if (c.numeric) {
      j["min"] = c.min;
      j["max"] = c.max;
    }
    j["samples"] = c.samples;
    j["scales"] = {{"nps", c.scales.nps},
                   {"csat", c.scales.csat},
                   {"ces", c.scales.ces},
                   {"rating", c.scales.rating}};
    columns.push_back(std::move(j));
  }
  return {{"format", ImportFormatName(p.format)},       {"delimiter", std::string(1, p.delimiter)},
          {"encoding", TextEncodingName(p.encoding)},   {"rows_sampled", p.rows_sampled},
          {"mapping", ColumnMappingToJson(p.mapping)},  {"date_ambiguous", p.date_ambiguous},
          {"segment_candidates", p.segment_candidates}, {"columns", std::move(columns)}};
}

Result<ColumnMapping> ColumnMappingFromJson(const Json& json) {
  std::string base;
  const Json* obj = &json;
  if (json.is_object() && json.contains("mapping") && json["mapping"].is_object()) {
    // A whole proposal (its own "columns" are the column proposals): read its mapping.
    obj = &json["mapping"];
    base = "/mapping";
  }
  if (!obj->is_object()) {
    return Invalid(base.empty() ? "/" : base, "expected an object {\"columns\": [...]}");
  }
  ColumnMapping mapping;
  const auto columns = obj->find("columns");
  if (columns == obj->end() || !columns->is_array()) {
    return Invalid(base + "/columns", "expected an array of column assignments");
  }
  std::set<int> used_columns;
  std::set<std::string> ids;
  bool date = false, segment = false;
  for (size_t i = 0; i < columns->size(); ++i) {
    const std::string at = base + "/columns/" + std::to_string(i);
    Result<ColumnAssignment> a = AssignmentFromJson((*columns)[i], at);
    if (!a.ok()) return a.status();
    if (!used_columns.insert(a->column).second) {
      return Invalid(at + "/column", "column " + std::to_string(a->column) + " is mapped twice");
    }
    if (a->kind == ColumnRoleKind::kDate) {
      if (date) return Invalid(at + "/kind", "a second date column (one is read)");
      date = true;
    } else if (a->kind == ColumnRoleKind::kSegment) {
      if (segment) return Invalid(at + "/kind", "a second segment column (one is read)");
      segment = true;
    } else if (a->kind == ColumnRoleKind::kQuestion || a->kind == ColumnRoleKind::kText) {
      if (!ids.insert(a->id).second) {
        return Invalid(at + "/id", text::Quote(a->id) + " is the id of another column");
      }
    }
    mapping.columns.push_back(std::move(a).value());
  }
  if (const auto rows = obj->find("extra_header_rows"); rows != obj->end()) {
    int64_t n = 0;
    if (!JsonIntInRange(*rows, 0, ColumnMapping::kMaxExtraHeaderRows, &n)) {
      return Invalid(base + "/extra_header_rows",
                     Show(*rows) + " is not a number of rows (0-" +
                         std::to_string(ColumnMapping::kMaxExtraHeaderRows) + ")");
    }
    mapping.extra_header_rows = static_cast<int>(n);
  }
  if (const auto format = obj->find("date_format"); format != obj->end()) {
    std::optional<DateFormat> parsed;
    if (format->is_string()) parsed = ParseDateFormat(format->get<std::string>());
    if (!parsed) {
      return Invalid(base + "/date_format",
                     Show(*format) + " is not a date format (use ymd, dmy, mdy or jalali)");
    }
    mapping.date_format = *parsed;
  }
  return mapping;
}

Result<MappingProposal> ProposeMapping(std::string_view head) {
  MappingProposal p;
  const bool cut = head.size() >= kProposalHeadBytes;
  head = head.substr(0, kProposalHeadBytes);
  Result<std::string> decoded = import_internal::DecodeHead(head, !cut, &p.encoding);
  if (!decoded.ok()) return decoded.status();
  const std::string_view text = decoded.value();
  p.format = SniffImportFormat(text);
  const size_t max_rows = static_cast<size_t>(kProposalRecords) + 1 +
                          static_cast<size_t>(ColumnMapping::kMaxExtraHeaderRows);
  Rows rows;
  if (p.format == ImportFormat::kNdjson) {
    rows = SplitNdjson(text, max_rows, cut);
    if (rows.size() < 2) {
      return Status(StatusCode::kInvalidArgument, "no JSON object in the first lines");
    }
  } else {
    RowCollector read = ReadCsvHead(text, max_rows, cut, &p.delimiter);
    rows = std::move(read.rows);
    if (rows.empty()) return Status(StatusCode::kInvalidArgument, "no header row");
    p.mapping.extra_header_rows = CountExtraHeaderRows(rows);
    // Records the importer rejects for their structure are no sample of the data.
    size_t kept = 1 + static_cast<size_t>(p.mapping.extra_header_rows);
    for (size_t r = kept; r < rows.size(); ++r) {
      if (read.broken_rows[r]) continue;
      if (kept != r) rows[kept] = std::move(rows[r]);
      ++kept;
    }
    rows.resize(kept);
  }
  const size_t first = 1 + static_cast<size_t>(p.mapping.extra_header_rows);
  const size_t last = std::min(rows.size(), first + static_cast<size_t>(kProposalRecords));
  rows.resize(std::max(last, std::min(first, rows.size())));
  p.rows_sampled = static_cast<int>(rows.size() > first ? rows.size() - first : 0);
  const std::vector<std::string>& header = rows[0];
  const size_t ncols = std::min(header.size(), static_cast<size_t>(ImportOptions::kMaxColumns));

  std::set<std::string> ids;
  auto unique_id = [&](std::string id, size_t col, const char* prefix) {
    if (id.empty()) id = prefix + std::to_string(col + 1);
    std::string out = id;
    for (int n = 2; ids.count(out) > 0; ++n) out = id + "_" + std::to_string(n);
    ids.insert(out);
    return out;
  };
  bool type_named[3] = {false, false, false};  // nps, csat, ces took their names as ids
  int date_col = -1;
  bool date_by_name = false;
  std::vector<ColumnStats> stats(ncols);
  std::vector<std::string> names_of(ncols);
  for (size_t col = 0; col < ncols; ++col) {
    ColumnProposal c;
    c.column = static_cast<int>(col);
    c.name = std::string(Trim(header[col]));
    ColumnStats& st = stats[col] = Analyze(rows, first, col);
    c.distinct = static_cast<int>(st.distinct.size());
    c.numeric = st.numeric;
    c.min = st.min;
    c.max = st.max;
    c.samples = st.samples;
    c.scales = {ScaleOf(st, QuestionType::kNps), ScaleOf(st, QuestionType::kCsat),
                ScaleOf(st, QuestionType::kCes), ScaleOf(st, QuestionType::kRating)};
    c.proposed.column = c.column;
    c.proposed.name = c.name;
    // Names: the header and the extra header rows' text of this column (question texts).
    std::string& names = names_of[col] = Lower(c.name);
    for (size_t r = 1; r < first && r < rows.size(); ++r) {
      if (col < rows[r].size() && !IsImportIdCell(rows[r][col])) names += " " + Lower(rows[r][col]);
    }
    std::optional<ScaleKind> kind;
    int scale = 0;
    if (const std::optional<ScaleKind> named = TypeOfName(names)) {
      scale = FitsByName(st, *named);
      if (scale > 0) {
        kind = named;
        c.reason = "name";
      }
    }
    const bool enough = st.distinct.size() >= 3;
    if (!kind && st.numeric && enough) {
      if (st.min >= 0 && st.max <= 10 && st.max > 7) {
        kind = kNps;
      } else if (st.min >= 1 && st.max <= 5) {
        kind = kCsat;
      } else if (st.min >= 1 && st.max <= 7) {
        kind = kCes;
      }
      if (kind) {
        scale = kind->scale;
        c.reason = "values";
      }
    }
    // Dates before text answers: "03/04/2026" starts with a number a label reader would take.
    const bool is_date = !kind && !st.values.empty() && !st.numeric && IsDateColumn(st);
    if (!kind && !is_date && !st.numeric && st.distinct.size() >= 2) {
      for (const ScaleKind& k : {kCsat, kCes, kNps}) {
        if (AllLabels(st, k)) {
          kind = k;
          scale = k.scale;
          c.reason = "text_answers";
          break;
        }
      }
    }
    if (kind) {
      const int t = kind->type == QuestionType::kNps    ? 0
                    : kind->type == QuestionType::kCsat ? 1
                                                        : 2;
      c.proposed.kind = ColumnRoleKind::kQuestion;
      c.proposed.type = kind->type;
      c.proposed.scale = scale;
      std::string id;
      if (!type_named[t] && ids.count(QuestionTypeName(kind->type)) == 0) {
        id = QuestionTypeName(kind->type);
        type_named[t] = true;
      } else {
        id = Slug(c.name);
      }
      c.proposed.id = unique_id(id, col, "q");
    } else if (is_date) {
      const DateFormatGuess guess = GuessDateFormat(st.values);
      const bool named = IsDateName(names);
      if (date_col < 0 || (named && !date_by_name)) {
        if (date_col >= 0) {
          p.columns[date_col].proposed.kind = ColumnRoleKind::kIgnore;
          p.columns[date_col].proposed.id.clear();
          p.columns[date_col].reason.clear();
        }
        date_col = c.column;
        date_by_name = named;
        c.proposed.kind = ColumnRoleKind::kDate;
        c.proposed.id = "date";
        c.reason = "date";
        p.mapping.date_format = guess.format;
        p.date_ambiguous = guess.ambiguous;
      }
    }
    if (c.proposed.kind == ColumnRoleKind::kIgnore && IsTextName(names) && !st.numeric) {
      c.proposed.kind = ColumnRoleKind::kText;
      c.proposed.id = unique_id(Slug(c.name), col, "text");
      c.reason = "name";
    }
    p.columns.push_back(std::move(c));
  }
  // Segment candidates among the columns nothing else took.
  std::vector<std::pair<int, int>> candidates;  // (distinct, column)
  for (ColumnProposal& c : p.columns) {
    const ColumnStats& st = stats[static_cast<size_t>(c.column)];
    if (c.proposed.kind != ColumnRoleKind::kIgnore) continue;
    const size_t d = st.distinct.size();
    if (d >= 2 && d <= static_cast<size_t>(kMaxDistinct) && d < st.values.size()) {
      candidates.emplace_back(static_cast<int>(d), c.column);
      c.reason = "few_values";
    }
  }
  std::sort(candidates.begin(), candidates.end());
  for (const auto& [d, col] : candidates) {
    p.segment_candidates.push_back(col);
    ColumnProposal& c = p.columns[static_cast<size_t>(col)];
    const bool taken = std::any_of(p.columns.begin(), p.columns.end(), [](const ColumnProposal& o) {
      return o.proposed.kind == ColumnRoleKind::kSegment;
    });
    if (!taken && IsSegmentName(names_of[static_cast<size_t>(col)])) {
      c.proposed.kind = ColumnRoleKind::kSegment;
      c.proposed.id = Slug(c.name);
      c.reason = "name";
    }
  }
  for (const ColumnProposal& c : p.columns) {
    if (c.proposed.kind != ColumnRoleKind::kIgnore) p.mapping.columns.push_back(c.proposed);
  }
  return p;
}

}  // namespace nazar
