#include "nazar/import.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <unordered_map>

#include "nazar/i18n.h"
#include "nazar/json.h"

namespace nazar {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::string_view kNoneLabel = "(none)";
constexpr std::string_view kOtherLabel = "(other)";
constexpr std::string_view kDateColumn = "date";
constexpr size_t kMaxQuotedValue = 40;    // code points of a value quoted in a message
constexpr size_t kMaxSegmentLabel = 100;  // code points kept of a segment value
constexpr size_t kMaxMessageChars = 300;  // code points kept of a message

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// A value as shown in a message: in double quotes, escaped, cut to kMaxQuotedValue code points.
std::string Quote(std::string_view value) {
  const std::string cut = Utf8Truncate(value, kMaxQuotedValue);
  std::string out = "\"";
  for (char c : cut) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  if (cut.size() < value.size()) out += "...";
  out += '"';
  return out;
}

// A column or key name for a message (cut, unquoted unless it holds odd characters).
std::string ColumnName(std::string_view name) {
  bool plain = !name.empty();
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x21 || c == '"' || c == '\\' || u == 0x7f) plain = false;
  }
  if (plain && name.size() <= 64) return std::string(name);
  return Quote(name);
}

// A whole number written in ASCII digits, optionally followed by ".0..." ("7", "7.0").
bool ParseWhole(std::string_view s, int* out) {
  size_t i = 0;
  int v = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
    if (i >= 9) return false;
    v = v * 10 + (s[i] - '0');
    ++i;
  }
  if (i == 0) return false;
  if (i < s.size()) {
    if (s[i] != '.' || i + 1 == s.size()) return false;
    for (size_t j = i + 1; j < s.size(); ++j) {
      if (s[j] != '0') return false;
    }
  }
  *out = v;
  return true;
}

const char* ScaleName(QuestionType type) {
  switch (type) {
    case QuestionType::kNps:
      return "an NPS";
    case QuestionType::kCsat:
      return "a CSAT";
    case QuestionType::kCes:
      return "a CES";
    default:
      return "a rating";
  }
}

Question DefaultQuestion(const char* id, QuestionType type, int scale) {
  Question q;
  q.id = id;
  q.type = type;
  q.scale = scale;
  return q;
}

enum class CellKind : uint8_t { kMissing, kSkipped, kValue, kChoices, kText };

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
  int min = 0;
  int max = 0;
  size_t width = 0;   // histogram cells
  size_t offset = 0;  // first counter in Cell::counters: counts..., answered, skipped, missing
  std::map<std::string, int, std::less<>> option_index;
  std::vector<uint32_t> option_mark;  // record serial that last chose each option (dedupe)
  std::string option_list;            // " (web, app)" for messages, "" when too long
};

// The answers of the record being read, before it is accepted.
struct PendingAnswer {
  CellKind kind = CellKind::kMissing;
  int value = 0;
  uint32_t begin = 0;  // range in choice_buf_
  uint32_t end = 0;
};

struct Cell {
  int segment = -1;  // index into segment_labels_, -1 for none
  int period = -1;   // index into period_labels_, -1 for none
  int64_t rows = 0;
  std::vector<int64_t> counters;
};

// A scalar JSON value at a member position.
struct JsonScalar {
  enum Type { kNull, kBool, kNumber, kString } type = kNull;
  std::string_view text;  // string contents, or the number/bool as written
  bool integral = false;
  double number = 0;
};

constexpr size_t kMaxCachedDays = 1 << 16;

// The id of `label` in an interned list, adding it when new.
int LabelId(std::string_view label, std::vector<std::string>* labels,
            std::map<std::string, int, std::less<>>* ids) {
  const auto it = ids->find(label);
  if (it != ids->end()) return it->second;
  const int id = static_cast<int>(labels->size());
  labels->emplace_back(label);
  ids->emplace(labels->back(), id);
  return id;
}

enum class CsvState : uint8_t { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted, kAfterQuoted };

}  // namespace

const char* ImportFormatName(ImportFormat format) {
  return format == ImportFormat::kNdjson ? "ndjson" : "csv";
}

std::optional<ImportFormat> ImportFormatForName(std::string_view file_name) {
  const size_t dot = file_name.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  std::string ext;
  for (char c : file_name.substr(dot + 1)) {
    ext += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  if (ext == "csv" || ext == "tsv") return ImportFormat::kCsv;
  if (ext == "ndjson" || ext == "jsonl") return ImportFormat::kNdjson;
  return std::nullopt;
}

ImportFormat SniffImportFormat(std::string_view head) {
  if (head.substr(0, kBom.size()) == kBom) head.remove_prefix(kBom.size());
  for (char c : head) {
    if (IsBlank(c)) continue;
    return c == '{' ? ImportFormat::kNdjson : ImportFormat::kCsv;
  }
  return ImportFormat::kCsv;
}

std::string ImportError::ToString() const {
  if (line <= 0) return message;
  return "line " + std::to_string(line) + ": " + message;
}

struct ResponseImporter::Impl {
  class JsonLineHandler;
  explicit Impl(ImportOptions opts);

  // ---- Input ----
  void Feed(std::string_view chunk);
  void Finish();

  // ---- CSV ----
  void CsvSniff(std::string_view chunk);
  void CsvBytes(const char* p, const char* end);
  void CsvAppend(const char* p, size_t n);
  void CsvStartRecord();
  void CsvEndField();
  void CsvEndRecord();
  void CsvHeader();
  std::string CsvColumnName(size_t col) const;

  // ---- NDJSON ----
  void NdjsonBytes(const char* p, const char* end);
  void NdjsonEndLine();

  // ---- Records (format independent) ----
  void StartRecord(int64_t line);
  void Fail(std::string message);
  void FailColumn(std::string_view column, const std::string& detail);
  bool failed() const { return record_failed; }
  const ColumnRole* Lookup(std::string_view name) const;
  // A CSV cell or NDJSON string for `role`.
  void SetText(const ColumnRole& role, std::string_view column, std::string_view text);
  void SetJson(const ColumnRole& role, std::string_view column, const JsonScalar& value);
  void SetScaleText(int qi, std::string_view column, std::string_view raw);
  void SetScaleNumber(int qi, std::string_view column, const JsonScalar& value);
  void SetChoiceText(int qi, std::string_view column, std::string_view raw);
  bool AddChoice(int qi, std::string_view column, std::string_view option);
  void SetDateText(std::string_view column, std::string_view raw);
  void SetSegment(std::string_view value);
  void EndRecord();
  void Apply();
  void AddTo(Cell* cell);
  int SegmentId(std::string_view label);
  int PeriodId(int64_t day);
  size_t CellIndex(int segment, int period);
  void Warn(std::string message);  // about the current record
  void WarnAt(int64_t at_line, std::string message);
  bool TakeKey(const ColumnRole& role);

  ImportOptions options;
  Survey survey;
  bool default_survey = false;
  std::vector<QuestionInfo> questions;
  std::vector<bool> question_seen;  // the column exists (CSV header) / occurs in an accepted record
  std::map<std::string, ColumnRole, std::less<>> roles_by_name;
  size_t counter_count = 0;
  ImportSummary summary;
  bool finished = false;

  // BOM detection at the start of the stream.
  bool bom_done = false;
  std::string bom_buf;

  // Record being read.
  int64_t rec_line = 0;
  bool record_failed = false;
  uint32_t serial = 0;
  std::vector<PendingAnswer> pending;
  std::vector<int> choice_buf;
  bool has_segment = false;
  std::string segment;
  std::optional<int64_t> day;
  std::vector<uint8_t> key_taken;  // NDJSON duplicates: [question..., date, by]
  bool by_seen = false, date_seen = false;

  // Cells: [0] is the overall cell.
  std::vector<Cell> cells;
  std::vector<std::string> segment_labels;
  std::map<std::string, int, std::less<>> segment_ids;
  std::vector<std::string> period_labels;
  std::map<std::string, int, std::less<>> period_ids;
  std::unordered_map<uint64_t, size_t> cell_index;
  std::unordered_map<int64_t, int> day_period;  // day -> period id cache
  bool warned_segments = false, warned_periods = false, warned_cells = false;
  int64_t min_day = 0, max_day = 0;
  bool any_day = false;

  // CSV.
  char delim = 0;
  bool sniffing = false;
  bool sniff_in_quotes = false;
  bool sniff_content = false;  // a non-blank byte was seen (blank lines before the header)
  std::string sniff_buf;
  bool special[256] = {};
  CsvState state = CsvState::kFieldStart;
  bool in_record = false;
  bool skip_lf = false;
  bool quoted_cr = false;
  int64_t line = 1;
  bool header_done = false;
  size_t field_index = 0;
  size_t field_len = 0;
  bool field_quoted = false;
  bool field_stored = false;
  bool field_too_long = false;
  bool record_quoted = false;
  size_t record_bytes = 0;
  std::string rec_buf;
  size_t field_begin = 0;
  size_t ncols = 0;
  std::vector<std::string> column_names;  // header names (first kMaxColumns)
  std::vector<int> slot_of;               // column -> slot, -1 when irrelevant
  std::vector<size_t> slot_col;
  std::vector<ColumnRole> slot_role;
  std::vector<std::pair<size_t, size_t>> slot_range;
  std::vector<uint8_t> slot_set;

  // NDJSON.
  bool in_line = false;
  std::string line_buf;
  size_t line_len = 0;
};

// SAX handler for one NDJSON line: dispatches the top-level members to the importer.
class ResponseImporter::Impl::JsonLineHandler {
 public:
  explicit JsonLineHandler(Impl* im) : im_(im) {}

  bool null() { return Scalar(JsonScalar{JsonScalar::kNull, "null", false, 0}); }
  bool boolean(bool v) {
    return Scalar(JsonScalar{JsonScalar::kBool, v ? "true" : "false", false, 0});
  }
  bool number_integer(Json::number_integer_t v) {
    std::snprintf(num_, sizeof num_, "%lld", static_cast<long long>(v));
    return Scalar(JsonScalar{JsonScalar::kNumber, num_, true, static_cast<double>(v)});
  }
  bool number_unsigned(Json::number_unsigned_t v) {
    std::snprintf(num_, sizeof num_, "%llu", static_cast<unsigned long long>(v));
    return Scalar(JsonScalar{JsonScalar::kNumber, num_, true, static_cast<double>(v)});
  }
  bool number_float(Json::number_float_t v, const std::string& s) {
    const bool integral =
        v == v && v >= -1e15 && v <= 1e15 && static_cast<double>(static_cast<long long>(v)) == v;
    return Scalar(JsonScalar{JsonScalar::kNumber, s, integral, v});
  }
  bool string(std::string& v) { return Scalar(JsonScalar{JsonScalar::kString, v, false, 0}); }
  bool binary(Json::binary_t&) { return true; }  // not produced by the JSON reader

  bool start_object(std::size_t) { return Container("an object"); }
  bool start_array(std::size_t) { return Container("an array"); }
  bool end_object() { return End(); }
  bool end_array() { return End(); }

  bool key(std::string& k) {
    if (depth_ != 1) return true;
    key_ = k;
    role_ = im_->Lookup(k);
    if (role_ != nullptr && !im_->TakeKey(*role_)) {
      im_->Fail("key " + Quote(k) + " appears twice");
      return false;
    }
    return true;
  }

  template <class Exception>
  bool parse_error(std::size_t position, const std::string&, const Exception& ex) {
    // ex.what(): "[json.exception.parse_error.101] parse error at line 1, column 5: <detail>"
    std::string_view what = ex.what();
    const size_t colon = what.find(": ");
    std::string detail(colon == std::string_view::npos ? what : what.substr(colon + 2));
    if (detail.size() > 200) detail = Utf8Truncate(detail, 200) + "...";
    im_->Fail("invalid JSON at column " + std::to_string(position) + ": " + detail);
    return false;
  }

  // Called after a successful parse: closes a pending choice array.
  bool ok() const { return saw_object_; }

 private:
  bool Scalar(const JsonScalar& v) {
    if (depth_ == 0) {
      im_->Fail("not a JSON object");
      return false;
    }
    if (depth_ == 1) {
      if (role_ != nullptr) im_->SetJson(*role_, key_, v);
      return !im_->failed();
    }
    if (collecting_ && depth_ == 2) {
      if (v.type == JsonScalar::kNull) return true;
      if (v.type == JsonScalar::kBool) {
        im_->FailColumn(key_, std::string(v.text) + " is not an option" +
                                  im_->questions[role_->question].option_list);
        return false;
      }
      return im_->AddChoice(role_->question, key_, v.text);
    }
    return true;
  }

  bool Container(const char* what) {
    if (depth_ == 0) {
      if (what[3] == 'a') {  // "an array"
        im_->Fail("not a JSON object");
        return false;
      }
      saw_object_ = true;
      depth_ = 1;
      return true;
    }
    if (depth_ == 1 && role_ != nullptr) {
      const bool array = what[3] == 'a';
      const QuestionInfo* info = role_->question >= 0 ? &im_->questions[role_->question] : nullptr;
      if (array && info != nullptr && info->q->type == QuestionType::kChoice && !role_->by &&
          !role_->date) {
        collecting_ = true;
        im_->pending[role_->question].kind = CellKind::kChoices;
        im_->pending[role_->question].begin = static_cast<uint32_t>(im_->choice_buf.size());
        im_->pending[role_->question].end = im_->pending[role_->question].begin;
      } else {
        im_->FailColumn(key_, std::string(what) + " is not a valid value");
        return false;
      }
    } else if (collecting_ && depth_ == 2) {
      im_->FailColumn(key_, std::string(what) + " is not an option");
      return false;
    }
    ++depth_;
    return true;
  }

  bool End() {
    --depth_;
    if (collecting_ && depth_ == 1) {
      collecting_ = false;
      PendingAnswer& p = im_->pending[role_->question];
      const QuestionInfo& info = im_->questions[role_->question];
      if (p.end == p.begin) {
        p.kind = CellKind::kSkipped;
      } else if (!info.q->multiple && p.end - p.begin > 1) {
        im_->FailColumn(key_, "only one option may be chosen");
        return false;
      }
    }
    return true;
  }

  Impl* im_;
  int depth_ = 0;
  bool saw_object_ = false;
  bool collecting_ = false;
  std::string key_;
  const ColumnRole* role_ = nullptr;
  char num_[32] = {};
};

ResponseImporter::Impl::Impl(ImportOptions opts) : options(std::move(opts)) {
  if (options.survey) {
    survey = *options.survey;
  } else {
    default_survey = true;
    survey.id = "responses";
    survey.questions.push_back(DefaultQuestion("nps", QuestionType::kNps, 11));
    survey.questions.push_back(DefaultQuestion("csat", QuestionType::kCsat, 5));
    survey.questions.push_back(DefaultQuestion("ces", QuestionType::kCes, 7));
  }
  questions.resize(survey.questions.size());
  for (size_t i = 0; i < survey.questions.size(); ++i) {
    QuestionInfo& info = questions[i];
    const Question& q = survey.questions[i];
    info.q = &q;
    info.offset = counter_count;
    if (q.IsScale()) {
      info.min = q.MinValue();
      info.max = q.MaxValue();
      info.width = info.max >= info.min ? static_cast<size_t>(info.max - info.min + 1) : 0;
    } else if (q.type == QuestionType::kChoice) {
      info.width = q.options.size();
      info.option_mark.assign(q.options.size(), 0);
      std::string list;
      for (size_t o = 0; o < q.options.size(); ++o) {
        info.option_index.emplace(q.options[o].id, static_cast<int>(o));
        if (o > 0) list += ", ";
        list += q.options[o].id;
      }
      if (!list.empty() && list.size() <= 120) info.option_list = " (" + list + ")";
    }
    counter_count += info.width + 3;
    roles_by_name[q.id].question = static_cast<int>(i);
  }
  question_seen.assign(questions.size(), false);
  pending.resize(questions.size());
  key_taken.assign(questions.size() + 2, 0);
  auto date_it = roles_by_name.find(kDateColumn);
  if (date_it == roles_by_name.end()) roles_by_name[std::string(kDateColumn)].date = true;
  if (!options.by.empty()) roles_by_name[options.by].by = true;

  cells.emplace_back();
  cells[0].counters.assign(counter_count, 0);

  if (options.format == ImportFormat::kCsv) {
    delim = options.delimiter;
    sniffing = delim == 0;
    if (!sniffing) {
      special[static_cast<unsigned char>(delim)] = true;
    }
    special[static_cast<unsigned char>('\n')] = true;
    special[static_cast<unsigned char>('\r')] = true;
  }
}

// ---------------------------------------------------------------- input

void ResponseImporter::Impl::Feed(std::string_view chunk) {
  if (finished) return;
  if (!bom_done) {
    while (!chunk.empty() && bom_buf.size() < kBom.size()) {
      bom_buf += chunk.front();
      chunk.remove_prefix(1);
      if (kBom.substr(0, bom_buf.size()) != bom_buf) break;
    }
    if (bom_buf == kBom) {
      bom_done = true;
    } else if (kBom.substr(0, bom_buf.size()) != bom_buf) {
      bom_done = true;
      const std::string head = std::move(bom_buf);
      bom_buf.clear();
      Feed(head);
    } else {
      return;  // still a prefix of the BOM and the chunk is used up
    }
  }
  if (chunk.empty()) return;
  if (options.format == ImportFormat::kNdjson) {
    NdjsonBytes(chunk.data(), chunk.data() + chunk.size());
  } else if (sniffing) {
    CsvSniff(chunk);
  } else {
    CsvBytes(chunk.data(), chunk.data() + chunk.size());
  }
}

void ResponseImporter::Impl::Finish() {
  if (finished) return;
  if (!bom_done) {
    bom_done = true;
    const std::string head = std::move(bom_buf);
    bom_buf.clear();
    if (!head.empty()) Feed(head);
  }
  if (options.format == ImportFormat::kNdjson) {
    if (in_line) NdjsonEndLine();
    in_line = false;
    rec_line = 0;  // the notes below concern the whole file
    if (!options.by.empty() && !by_seen && summary.rows > summary.bad_rows) {
      Warn("segment key " + ColumnName(options.by) + " occurs in no record");
    }
    if (options.period && !date_seen && summary.rows > summary.bad_rows) {
      Warn("no record has a \"date\" key: periods are \"(none)\"");
    }
    if (default_survey && summary.rows > summary.bad_rows &&
        std::find(question_seen.begin(), question_seen.end(), true) == question_seen.end()) {
      Warn("no key to score: expected nps, csat or ces (or pass a survey definition)");
    }
  } else {
    if (sniffing) {
      // No line end was seen: detect the delimiter from what there is.
      CsvSniff(std::string_view());
    }
    if (in_record) {
      if (state == CsvState::kQuoted) {
        const std::string name = CsvColumnName(field_index);
        if (header_done) {
          Fail((name.empty() ? "field " + std::to_string(field_index + 1) : "column " + name) +
               ": unterminated quoted field");
        }
      }
      CsvEndField();
      CsvEndRecord();
    }
  }
  finished = true;
}

// ---------------------------------------------------------------- CSV

void ResponseImporter::Impl::CsvSniff(std::string_view chunk) {
  // Buffer the header line (up to kMaxFieldBytes), then pick the delimiter it uses most.
  bool done = chunk.empty();
  size_t used = chunk.size();
  for (size_t i = 0; i < chunk.size(); ++i) {
    const char c = chunk[i];
    if (c == '"') sniff_in_quotes = !sniff_in_quotes;
    if ((c == '\n' || c == '\r') && !sniff_in_quotes && sniff_content) {
      done = true;
      used = i;
      break;
    }
    if (!IsBlank(c)) sniff_content = true;
    if (sniff_buf.size() + i + 1 >= ImportOptions::kMaxFieldBytes) {
      done = true;
      used = i + 1;
      break;
    }
  }
  sniff_buf.append(chunk.data(), used);
  if (!done) return;
  size_t commas = 0, semicolons = 0, tabs = 0;
  bool quoted = false;
  for (char c : sniff_buf) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    commas += c == ',';
    semicolons += c == ';';
    tabs += c == '\t';
  }
  delim = ',';
  if (semicolons > commas && semicolons >= tabs) delim = ';';
  if (tabs > commas && tabs > semicolons) delim = '\t';
  special[static_cast<unsigned char>(delim)] = true;
  sniffing = false;
  const std::string head = std::move(sniff_buf);
  sniff_buf.clear();
  CsvBytes(head.data(), head.data() + head.size());
  CsvBytes(chunk.data() + used, chunk.data() + chunk.size());
}

std::string ResponseImporter::Impl::CsvColumnName(size_t col) const {
  if (col < column_names.size()) return ColumnName(column_names[col]);
  return "";
}

void ResponseImporter::Impl::CsvStartRecord() {
  in_record = true;
  field_index = 0;
  record_quoted = false;
  record_bytes = 0;
  rec_buf.clear();
  std::fill(slot_set.begin(), slot_set.end(), 0);
  if (header_done) StartRecord(line);
  rec_line = line;
  field_len = 0;
  field_quoted = false;
  field_too_long = false;
  field_begin = 0;
  field_stored =
      header_done ? (!slot_of.empty() && slot_of[0] >= 0) : ImportOptions::kMaxColumns > 0;
}

void ResponseImporter::Impl::CsvAppend(const char* p, size_t n) {
  field_len += n;
  record_bytes += n;
  const size_t cap =
      header_done ? ImportOptions::kMaxFieldBytes : ImportOptions::kMaxColumnNameBytes;
  if (field_len > cap) {
    if (!field_too_long) {
      field_too_long = true;
      if (field_stored) rec_buf.resize(field_begin);
    }
    return;
  }
  if (field_stored) rec_buf.append(p, n);
}

void ResponseImporter::Impl::CsvEndField() {
  const size_t col = field_index;
  if (!header_done) {
    if (col < static_cast<size_t>(ImportOptions::kMaxColumns)) {
      if (field_too_long) {
        column_names.emplace_back();  // matches nothing
        Warn("column " + std::to_string(col + 1) + ": header name longer than " +
             std::to_string(ImportOptions::kMaxColumnNameBytes) + " bytes; column ignored");
      } else {
        column_names.emplace_back(rec_buf, field_begin, rec_buf.size() - field_begin);
      }
    }
  } else {
    if (field_too_long && !failed()) {
      const std::string name = CsvColumnName(col);
      Fail((name.empty() ? "field " + std::to_string(col + 1) : "column " + name) +
           ": value longer than 1 MiB");
    }
    if (field_stored && !field_too_long) {
      const int slot = slot_of[col];
      slot_range[slot] = {field_begin, rec_buf.size()};
      slot_set[slot] = 1;
    }
  }
  record_quoted |= field_quoted;
  ++field_index;
  field_len = 0;
  field_quoted = false;
  field_too_long = false;
  field_begin = rec_buf.size();
  if (header_done) {
    field_stored = field_index < slot_of.size() && slot_of[field_index] >= 0;
  } else {
    field_stored = field_index < static_cast<size_t>(ImportOptions::kMaxColumns);
  }
}

void ResponseImporter::Impl::CsvEndRecord() {
  in_record = false;
  state = CsvState::kFieldStart;
  // A blank line is one unquoted empty field: not a record.
  if (field_index == 1 && !record_quoted && record_bytes == 0) {
    if (!header_done) column_names.clear();
    return;
  }
  if (!header_done) {
    CsvHeader();
    return;
  }
  ++summary.rows;
  if (!failed() && field_index != ncols) {
    Fail("expected " + std::to_string(ncols) + " fields, found " + std::to_string(field_index));
  }
  for (size_t slot = 0; slot < slot_col.size() && !failed(); ++slot) {
    if (!slot_set[slot]) continue;
    const size_t col = slot_col[slot];
    const std::pair<size_t, size_t> range = slot_range[slot];
    SetText(slot_role[slot], column_names[col],
            std::string_view(rec_buf).substr(range.first, range.second - range.first));
  }
  EndRecord();
}

void ResponseImporter::Impl::CsvHeader() {
  header_done = true;
  ncols = field_index;
  const int64_t header_line = rec_line;
  if (ncols > static_cast<size_t>(ImportOptions::kMaxColumns)) {
    WarnAt(header_line, "the header has " + std::to_string(ncols) + " columns; only the first " +
                            std::to_string(ImportOptions::kMaxColumns) + " are read");
  }
  slot_of.assign(std::min(ncols, column_names.size()), -1);
  std::map<std::string_view, size_t> first_col;
  for (size_t col = 0; col < slot_of.size(); ++col) {
    std::string& name = column_names[col];
    name = std::string(Trim(name));
    if (name.empty()) continue;
    if (!first_col.emplace(name, col).second) {
      WarnAt(header_line, "column " + ColumnName(name) + " appears more than once; the first (" +
                              std::to_string(first_col[name] + 1) + ") is used");
      continue;
    }
    const ColumnRole* role = Lookup(name);
    if (role == nullptr) continue;
    slot_of[col] = static_cast<int>(slot_col.size());
    slot_col.push_back(col);
    slot_role.push_back(*role);
    if (role->question >= 0) question_seen[role->question] = true;
  }
  slot_range.assign(slot_col.size(), {0, 0});
  slot_set.assign(slot_col.size(), 0);
  auto has = [&](std::string_view n) { return first_col.count(n) > 0; };
  if (!options.by.empty() && !has(options.by)) {
    Warn("segment column " + ColumnName(options.by) + " is not in the header");
  }
  if (options.period && !has(kDateColumn)) {
    Warn("no \"date\" column: periods are \"(none)\"");
  }
  if (default_survey) {
    if (!has("nps") && !has("csat") && !has("ces")) {
      Warn("no column to score: expected nps, csat or ces (or pass a survey definition)");
    }
  } else {
    std::string missing;
    for (const Question& q : survey.questions) {
      if (has(q.id)) continue;
      if (!missing.empty()) missing += ", ";
      missing += ColumnName(q.id);
    }
    if (!missing.empty())
      Warn("questions of survey " + ColumnName(survey.id) + " with no column: " + missing);
  }
}

void ResponseImporter::Impl::CsvBytes(const char* p, const char* end) {
  while (p < end) {
    char c = *p;
    if (skip_lf) {
      skip_lf = false;
      if (c == '\n') {
        ++p;
        continue;
      }
    }
    if (!in_record) CsvStartRecord();
    switch (state) {
      case CsvState::kFieldStart:
        if (c == '"') {
          state = CsvState::kQuoted;
          field_quoted = true;
          quoted_cr = false;
          ++p;
          break;
        }
        state = CsvState::kUnquoted;
        [[fallthrough]];
      case CsvState::kUnquoted: {
        const char* q = p;
        while (q < end && !special[static_cast<unsigned char>(*q)]) ++q;
        if (q > p) {
          CsvAppend(p, static_cast<size_t>(q - p));
          p = q;
          if (p == end) break;
        }
        c = *p;
        ++p;
        if (c == delim) {
          CsvEndField();
          state = CsvState::kFieldStart;
        } else {  // '\n' or '\r'
          CsvEndField();
          CsvEndRecord();
          ++line;
          skip_lf = c == '\r';
        }
        break;
      }
      case CsvState::kQuoted: {
        if (quoted_cr) {
          quoted_cr = false;
          if (c == '\n') {  // the LF of a CRLF inside quotes: the line was already counted
            CsvAppend(p, 1);
            ++p;
            break;
          }
        }
        const char* q = p;
        while (q < end && *q != '"' && *q != '\n' && *q != '\r') ++q;
        if (q > p) {
          CsvAppend(p, static_cast<size_t>(q - p));
          p = q;
          if (p == end) break;
        }
        c = *p;
        ++p;
        if (c == '"') {
          state = CsvState::kQuoteInQuoted;
        } else {
          CsvAppend(p - 1, 1);
          ++line;
          quoted_cr = c == '\r';
        }
        break;
      }
      case CsvState::kQuoteInQuoted:
        if (c == '"') {  // a doubled quote is one literal quote
          CsvAppend(p, 1);
          state = CsvState::kQuoted;
          ++p;
        } else {
          state = CsvState::kAfterQuoted;
        }
        break;
      case CsvState::kAfterQuoted:
        ++p;
        if (c == delim) {
          CsvEndField();
          state = CsvState::kFieldStart;
        } else if (c == '\n' || c == '\r') {
          CsvEndField();
          CsvEndRecord();
          ++line;
          skip_lf = c == '\r';
        } else if (header_done && !failed()) {
          const std::string name = CsvColumnName(field_index);
          Fail((name.empty() ? "field " + std::to_string(field_index + 1) : "column " + name) +
               ": text after the closing quote of a quoted field");
        }
        break;
    }
  }
}

// ---------------------------------------------------------------- NDJSON

void ResponseImporter::Impl::NdjsonBytes(const char* p, const char* end) {
  while (p < end) {
    if (!in_line) {
      in_line = true;
      rec_line = line;
      line_buf.clear();
      line_len = 0;
    }
    const void* nl = std::memchr(p, '\n', static_cast<size_t>(end - p));
    const char* stop = nl != nullptr ? static_cast<const char*>(nl) : end;
    const size_t n = static_cast<size_t>(stop - p);
    if (line_len + n <= ImportOptions::kMaxLineBytes) {
      line_buf.append(p, n);
    } else if (line_len <= ImportOptions::kMaxLineBytes) {
      line_buf.clear();
      line_buf.shrink_to_fit();
    }
    line_len += n;
    p = stop;
    if (nl != nullptr) {
      ++p;
      NdjsonEndLine();
      in_line = false;
      ++line;
    }
  }
}

void ResponseImporter::Impl::NdjsonEndLine() {
  if (line_len > ImportOptions::kMaxLineBytes) {
    ++summary.rows;
    StartRecord(rec_line);
    Fail("line longer than " + std::to_string(ImportOptions::kMaxLineBytes >> 20) + " MiB");
    EndRecord();
    return;
  }
  const std::string_view text = Trim(line_buf);
  if (text.empty()) return;  // blank lines are not records
  ++summary.rows;
  StartRecord(rec_line);
  JsonLineHandler handler(this);
  const bool parsed = Json::sax_parse(text.data(), text.data() + text.size(), &handler,
                                      Json::input_format_t::json, true);
  if (parsed && !handler.ok() && !failed()) Fail("not a JSON object");
  if (!parsed && !failed()) Fail("invalid JSON");
  EndRecord();
}

// ---------------------------------------------------------------- records

void ResponseImporter::Impl::StartRecord(int64_t record_line) {
  rec_line = record_line;
  record_failed = false;
  ++serial;
  for (PendingAnswer& p : pending) p = PendingAnswer();
  choice_buf.clear();
  has_segment = false;
  segment.clear();
  day.reset();
  std::fill(key_taken.begin(), key_taken.end(), 0);
}

void ResponseImporter::Impl::Fail(std::string message) {
  if (record_failed) return;
  record_failed = true;
  if (message.size() > kMaxMessageChars) message = Utf8Truncate(message, kMaxMessageChars);
  if (summary.errors.size() < static_cast<size_t>(ImportOptions::kMaxReportedErrors)) {
    summary.errors.push_back({rec_line, std::move(message)});
  }
}

void ResponseImporter::Impl::FailColumn(std::string_view column, const std::string& detail) {
  Fail("column " + ColumnName(column) + ": " + detail);
}

void ResponseImporter::Impl::Warn(std::string message) { WarnAt(rec_line, std::move(message)); }

void ResponseImporter::Impl::WarnAt(int64_t at_line, std::string message) {
  // Bounded like the errors: a header of 10,000 odd names must not grow this without limit.
  if (summary.warnings.size() < static_cast<size_t>(ImportOptions::kMaxReportedErrors)) {
    summary.warnings.push_back({at_line, std::move(message)});
  }
}

const ColumnRole* ResponseImporter::Impl::Lookup(std::string_view name) const {
  const auto it = roles_by_name.find(name);
  return it == roles_by_name.end() ? nullptr : &it->second;
}

bool ResponseImporter::Impl::TakeKey(const ColumnRole& role) {
  const size_t slot = role.question >= 0 ? static_cast<size_t>(role.question)
                      : role.date        ? questions.size()
                                         : questions.size() + 1;
  if (key_taken[slot]) return false;
  key_taken[slot] = 1;
  return true;
}

void ResponseImporter::Impl::SetText(const ColumnRole& role, std::string_view column,
                                     std::string_view text) {
  if (role.question >= 0) {
    const QuestionInfo& info = questions[role.question];
    if (info.q->IsScale()) {
      SetScaleText(role.question, column, text);
    } else if (info.q->type == QuestionType::kChoice) {
      SetChoiceText(role.question, column, text);
    } else {
      pending[role.question].kind = Trim(text).empty() ? CellKind::kSkipped : CellKind::kText;
    }
  }
  if (failed()) return;
  if (role.date) SetDateText(column, text);
  if (role.by) SetSegment(text);
}

void ResponseImporter::Impl::SetJson(const ColumnRole& role, std::string_view column,
                                     const JsonScalar& value) {
  if (value.type == JsonScalar::kString) {
    SetText(role, column, value.text);
    return;
  }
  if (role.question >= 0) {
    const QuestionInfo& info = questions[role.question];
    PendingAnswer& p = pending[role.question];
    if (value.type == JsonScalar::kNull) {
      p.kind = CellKind::kSkipped;
    } else if (info.q->IsScale()) {
      SetScaleNumber(role.question, column, value);
    } else if (info.q->type == QuestionType::kChoice) {
      if (value.type == JsonScalar::kBool) {
        FailColumn(column, std::string(value.text) + " is not an option" + info.option_list);
      } else {
        SetChoiceText(role.question, column, value.text);
      }
    } else {
      p.kind = CellKind::kText;  // a number or a boolean written as the answer
    }
  }
  if (failed()) return;
  if (role.date && value.type != JsonScalar::kNull) {
    FailColumn(column, std::string(value.text) + " is not a date (YYYY-MM-DD)");
    return;
  }
  if (role.by) SetSegment(value.type == JsonScalar::kNull ? std::string_view() : value.text);
}

void ResponseImporter::Impl::SetScaleText(int qi, std::string_view column, std::string_view raw) {
  PendingAnswer& p = pending[qi];
  std::string_view text = Trim(raw);
  if (text.empty()) {
    p.kind = CellKind::kSkipped;
    return;
  }
  std::string normalized;
  if (!IsAscii(text)) {
    normalized = NormalizeDigits(text);
    text = Trim(normalized);
  }
  const QuestionInfo& info = questions[qi];
  int v = 0;
  if (!ParseWhole(text, &v) || v < info.min || v > info.max) {
    FailColumn(column, Quote(raw) + " is not " + ScaleName(info.q->type) + " answer (" +
                           std::to_string(info.min) + "-" + std::to_string(info.max) + ")");
    return;
  }
  p.kind = CellKind::kValue;
  p.value = v;
}

void ResponseImporter::Impl::SetScaleNumber(int qi, std::string_view column,
                                            const JsonScalar& value) {
  const QuestionInfo& info = questions[qi];
  if (value.type != JsonScalar::kNumber || !value.integral || value.number < info.min ||
      value.number > info.max) {
    FailColumn(column, std::string(value.text) + " is not " + ScaleName(info.q->type) +
                           " answer (" + std::to_string(info.min) + "-" + std::to_string(info.max) +
                           ")");
    return;
  }
  pending[qi].kind = CellKind::kValue;
  pending[qi].value = static_cast<int>(value.number);
}

bool ResponseImporter::Impl::AddChoice(int qi, std::string_view column, std::string_view option) {
  QuestionInfo& info = questions[qi];
  const std::string_view id = Trim(option);
  if (id.empty()) return true;
  const auto it = info.option_index.find(id);
  if (it == info.option_index.end()) {
    FailColumn(column, Quote(id) + " is not an option" + info.option_list);
    return false;
  }
  if (info.option_mark[it->second] == serial) return true;  // chosen twice counts once
  info.option_mark[it->second] = serial;
  choice_buf.push_back(it->second);
  pending[qi].end = static_cast<uint32_t>(choice_buf.size());
  return true;
}

void ResponseImporter::Impl::SetChoiceText(int qi, std::string_view column, std::string_view raw) {
  PendingAnswer& p = pending[qi];
  const std::string_view text = Trim(raw);
  if (text.empty()) {
    p.kind = CellKind::kSkipped;
    return;
  }
  const QuestionInfo& info = questions[qi];
  p.kind = CellKind::kChoices;
  p.begin = p.end = static_cast<uint32_t>(choice_buf.size());
  if (!info.q->multiple) {
    AddChoice(qi, column, text);
    return;
  }
  size_t start = 0;
  while (start <= text.size()) {
    size_t bar = text.find('|', start);
    if (bar == std::string_view::npos) bar = text.size();
    if (!AddChoice(qi, column, text.substr(start, bar - start))) return;
    start = bar + 1;
  }
  if (p.end == p.begin) p.kind = CellKind::kSkipped;  // only separators
}

void ResponseImporter::Impl::SetDateText(std::string_view column, std::string_view raw) {
  std::string_view text = Trim(raw);
  if (text.empty()) return;
  std::string normalized;
  if (!IsAscii(text)) {
    normalized = NormalizeDigits(text);
    text = normalized;
  }
  const std::optional<int64_t> parsed = ParseIsoDay(text);
  if (!parsed) {
    FailColumn(column, Quote(raw) + " is not a date (YYYY-MM-DD)");
    return;
  }
  day = parsed;
}

void ResponseImporter::Impl::SetSegment(std::string_view value) {
  has_segment = true;
  segment.assign(Trim(value));
}

void ResponseImporter::Impl::EndRecord() {
  if (record_failed) {
    ++summary.bad_rows;
    return;
  }
  Apply();
}

int ResponseImporter::Impl::SegmentId(std::string_view label) {
  if (label.empty()) label = kNoneLabel;
  std::string cut;
  if (label.size() > kMaxSegmentLabel) {
    // Long labels are cut (at a character boundary) so that kMaxSegments of them stay small.
    cut = Utf8Truncate(label, kMaxSegmentLabel);
    label = cut;
  }
  const auto it = segment_ids.find(label);
  if (it != segment_ids.end()) return it->second;
  if (segment_labels.size() >= static_cast<size_t>(ImportOptions::kMaxSegments) &&
      label != kOtherLabel) {
    if (!warned_segments) {
      warned_segments = true;
      Warn("column " + ColumnName(options.by) + " has more than " +
           std::to_string(ImportOptions::kMaxSegments) +
           " distinct values; the rest are counted as \"(other)\"");
    }
    return SegmentId(kOtherLabel);
  }
  return LabelId(label, &segment_labels, &segment_ids);
}

int ResponseImporter::Impl::PeriodId(int64_t record_day) {
  // Most exports hold a few hundred distinct days: remember each day's period (bounded).
  const auto cached = day_period.find(record_day);
  if (cached != day_period.end()) return cached->second;
  if (day_period.size() >= kMaxCachedDays) day_period.clear();
  const std::string label = PeriodLabel(record_day, *options.period);
  int id;
  const auto it = period_ids.find(label);
  if (it != period_ids.end()) {
    id = it->second;
  } else if (period_labels.size() >= static_cast<size_t>(ImportOptions::kMaxPeriods)) {
    if (!warned_periods) {
      warned_periods = true;
      Warn("more than " + std::to_string(ImportOptions::kMaxPeriods) +
           " distinct periods; the rest are counted as \"(other)\"");
    }
    id = LabelId(kOtherLabel, &period_labels, &period_ids);
  } else {
    id = LabelId(label, &period_labels, &period_ids);
  }
  day_period.emplace(record_day, id);
  return id;
}

size_t ResponseImporter::Impl::CellIndex(int seg, int per) {
  const uint64_t key =
      (static_cast<uint64_t>(static_cast<uint32_t>(seg)) << 32) | static_cast<uint32_t>(per);
  const auto it = cell_index.find(key);
  if (it != cell_index.end()) return it->second;
  if (cell_index.size() >= static_cast<size_t>(ImportOptions::kMaxCells)) {
    if (!warned_cells) {
      warned_cells = true;
      Warn("more than " + std::to_string(ImportOptions::kMaxCells) +
           " segment x period cells; the rest are counted in (\"(other)\", \"(other)\")");
    }
    const int other_seg = options.by.empty() ? -1 : SegmentId(kOtherLabel);
    const int other_per = options.period ? LabelId(kOtherLabel, &period_labels, &period_ids) : -1;
    const uint64_t other_key = (static_cast<uint64_t>(static_cast<uint32_t>(other_seg)) << 32) |
                               static_cast<uint32_t>(other_per);
    const auto o = cell_index.find(other_key);
    if (o != cell_index.end()) return o->second;
    // The fold cell itself is the one allowed beyond the cap.
    cells.emplace_back();
    cells.back().segment = other_seg;
    cells.back().period = other_per;
    cells.back().counters.assign(counter_count, 0);
    cell_index.emplace(other_key, cells.size() - 1);
    return cells.size() - 1;
  }
  cells.emplace_back();
  cells.back().segment = seg;
  cells.back().period = per;
  cells.back().counters.assign(counter_count, 0);
  cell_index.emplace(key, cells.size() - 1);
  return cells.size() - 1;
}

void ResponseImporter::Impl::AddTo(Cell* cell) {
  ++cell->rows;
  int64_t* counters = cell->counters.data();
  for (size_t i = 0; i < questions.size(); ++i) {
    const QuestionInfo& info = questions[i];
    const PendingAnswer& p = pending[i];
    int64_t* c = counters + info.offset;
    switch (p.kind) {
      case CellKind::kMissing:
        ++c[info.width + 2];
        break;
      case CellKind::kSkipped:
        ++c[info.width + 1];
        break;
      case CellKind::kValue:
        ++c[p.value - info.min];
        ++c[info.width];
        break;
      case CellKind::kChoices:
        for (uint32_t k = p.begin; k < p.end; ++k) ++c[choice_buf[k]];
        ++c[info.width];
        break;
      case CellKind::kText:
        ++c[info.width];
        break;
    }
  }
}

void ResponseImporter::Impl::Apply() {
  for (size_t i = 0; i < questions.size(); ++i) {
    if (pending[i].kind != CellKind::kMissing) question_seen[i] = true;
  }
  if (has_segment) by_seen = true;
  if (day) {
    date_seen = true;
    if (!any_day || *day < min_day) min_day = *day;
    if (!any_day || *day > max_day) max_day = *day;
    any_day = true;
  }
  AddTo(&cells[0]);
  const bool by_segment = !options.by.empty();
  if (by_segment || options.period) {
    const int seg =
        by_segment ? SegmentId(has_segment ? std::string_view(segment) : std::string_view()) : -1;
    int per = -1;
    if (options.period) {
      per = day ? PeriodId(*day) : LabelId(kNoneLabel, &period_labels, &period_ids);
    }
    AddTo(&cells[CellIndex(seg, per)]);
  }
}

// ---------------------------------------------------------------- public API

ResponseImporter::ResponseImporter(ImportOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

ResponseImporter::~ResponseImporter() = default;

void ResponseImporter::Feed(std::string_view chunk) { impl_->Feed(chunk); }

void ResponseImporter::Finish() {
  impl_->Finish();
  ImportSummary& s = impl_->summary;
  if (impl_->any_day) {
    s.from = FormatDay(impl_->min_day);
    s.to = FormatDay(impl_->max_day);
  }
}

const ImportSummary& ResponseImporter::summary() const { return impl_->summary; }

std::string ResponseImporter::SurveyId() const { return impl_->survey.id; }

std::vector<ReportCellInput> ResponseImporter::Cells() const {
  const Impl& im = *impl_;
  // Without a survey only the default questions whose column occurs are reported.
  Survey shown = im.survey;
  std::vector<size_t> source;  // shown question -> index in im.questions
  shown.questions.clear();
  for (size_t i = 0; i < im.questions.size(); ++i) {
    if (im.default_survey && !im.question_seen[i]) continue;
    shown.questions.push_back(im.survey.questions[i]);
    source.push_back(i);
  }
  const Tally empty = Tally::For(shown);

  std::vector<size_t> order(im.cells.size() > 0 ? im.cells.size() - 1 : 0);
  for (size_t i = 0; i < order.size(); ++i) order[i] = i + 1;
  auto label = [](const std::vector<std::string>& labels, int id) -> const std::string& {
    static const std::string kEmpty;
    return id < 0 ? kEmpty : labels[id];
  };
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const Cell& ca = im.cells[a];
    const Cell& cb = im.cells[b];
    const std::string& sa = label(im.segment_labels, ca.segment);
    const std::string& sb = label(im.segment_labels, cb.segment);
    if (sa != sb) return sa < sb;
    return label(im.period_labels, ca.period) < label(im.period_labels, cb.period);
  });
  order.insert(order.begin(), 0);

  std::vector<ReportCellInput> out;
  out.reserve(order.size());
  for (size_t index : order) {
    const Cell& cell = im.cells[index];
    ReportCellInput in;
    in.segment = index == 0 ? "" : label(im.segment_labels, cell.segment);
    in.period = index == 0 ? "" : label(im.period_labels, cell.period);
    in.tally = empty;
    in.tally.displays = static_cast<double>(cell.rows);
    in.tally.completions = static_cast<double>(cell.rows);
    for (size_t k = 0; k < source.size() && k < in.tally.questions.size(); ++k) {
      const size_t qi = source[k];
      const QuestionInfo& info = im.questions[qi];
      QuestionTally& qt = in.tally.questions[k];
      const int64_t* c = cell.counters.data() + info.offset;
      if (qt.counts.size() < info.width) qt.counts.resize(info.width, 0);
      for (size_t v = 0; v < info.width; ++v) qt.counts[v] = static_cast<double>(c[v]);
      qt.answered = static_cast<double>(c[info.width]);
      qt.skipped = static_cast<double>(c[info.width + 1]);
      if (im.question_seen[qi]) qt.skipped += static_cast<double>(c[info.width + 2]);
    }
    out.push_back(std::move(in));
  }
  return out;
}

}  // namespace nazar
