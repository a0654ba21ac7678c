#include "import_builder.h"

#include <algorithm>
#include <utility>

#include "nazar/answers.h"
#include "nazar/date.h"
#include "nazar/i18n.h"
#include "text_util.h"

namespace nazar::import_internal {
namespace {

constexpr size_t kMaxMessageChars = 300;  // code points kept of a message

using text::IsAscii;
using text::Name;
using text::Quote;
using text::Trim;

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

// What a mapped column feeds, for a message: "the date", "the segment", "question \"nps\"".
std::string MappedWhat(const ColumnAssignment& a) {
  return a.kind == ColumnRoleKind::kDate      ? "the date"
         : a.kind == ColumnRoleKind::kSegment ? "the segment"
                                              : "question " + Name(a.id);
}

// "years 1900-2199": the years a date of `calendar` may have.
std::string PlausibleYears(Calendar calendar) {
  const bool jalali = calendar == Calendar::kJalali;
  return "years " + std::to_string(jalali ? kMinJalaliYear : kMinGregorianYear) + "-" +
         std::to_string(jalali ? kMaxJalaliYear : kMaxGregorianYear);
}

std::string Range(const QuestionInfo& info) {
  return " (" + std::to_string(info.min) + "-" + std::to_string(info.max) + ")";
}

}  // namespace

void Diagnostics::Error(int64_t line, std::string message) {
  if (message.size() > kMaxMessageChars) message = Utf8Truncate(message, kMaxMessageChars);
  if (summary_->errors.size() < static_cast<size_t>(ImportOptions::kMaxReportedErrors)) {
    summary_->errors.push_back({line, std::move(message)});
  }
}

void Diagnostics::Warn(int64_t line, std::string message) {
  // Bounded like the errors: a header of 10,000 odd names must not grow this without limit.
  if (summary_->warnings.size() < static_cast<size_t>(ImportOptions::kMaxReportedErrors)) {
    summary_->warnings.push_back({line, std::move(message)});
  }
}

RecordBuilder::RecordBuilder(ImportOptions options) : options_(std::move(options)) {
  if (options_.survey) {
    survey_ = *options_.survey;
  } else if (options_.mapping) {
    // The mapping's question and text columns are the survey, in column order.
    survey_.id = "responses";
    for (const ColumnAssignment& a : options_.mapping->columns) {
      if (a.kind == ColumnRoleKind::kQuestion) {
        survey_.questions.push_back(DefaultQuestion(a.id.c_str(), a.type, a.scale));
      } else if (a.kind == ColumnRoleKind::kText) {
        survey_.questions.push_back(DefaultQuestion(a.id.c_str(), QuestionType::kText, 0));
      }
    }
  } else {
    default_survey_ = true;
    survey_.id = "responses";
    survey_.questions.push_back(DefaultQuestion("nps", QuestionType::kNps, 11));
    survey_.questions.push_back(DefaultQuestion("csat", QuestionType::kCsat, 5));
    survey_.questions.push_back(DefaultQuestion("ces", QuestionType::kCes, 7));
  }
  size_t counter_count = 0;
  questions_.resize(survey_.questions.size());
  for (size_t i = 0; i < survey_.questions.size(); ++i) {
    QuestionInfo& info = questions_[i];
    const Question& q = survey_.questions[i];
    info.q = &q;
    info.offset = counter_count;
    info.scale = q.IsScale();
    if (info.scale) {
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
    roles_by_name_[q.id].question = static_cast<int>(i);
  }
  question_seen_.assign(questions_.size(), false);
  pending_.resize(questions_.size());
  key_taken_.assign(questions_.size() + 2, 0);
  if (roles_by_name_.find(kDateColumn) == roles_by_name_.end()) {
    roles_by_name_[std::string(kDateColumn)].date = true;
  }
  if (!options_.by.empty()) roles_by_name_[options_.by].by = true;
  if (options_.mapping) BuildMapping();
  if (options_.date_format) {
    date_format_ = options_.date_format;
  } else if (options_.mapping) {
    date_format_ = options_.mapping->date_format;
  }
  header_rows_left_ = options_.extra_header_rows.value_or(
      options_.mapping ? options_.mapping->extra_header_rows : 0);
  header_rows_left_ = std::clamp(header_rows_left_, 0, ColumnMapping::kMaxExtraHeaderRows);
  cells_ = std::make_unique<CellTable>(options_, &questions_, counter_count, &diagnostics_);
}

void RecordBuilder::BuildMapping() {
  roles_by_name_.clear();
  roles_by_column_.clear();
  std::string segment_name;
  std::map<std::string_view, int> question_of_id;
  for (size_t i = 0; i < survey_.questions.size(); ++i) {
    question_of_id.emplace(survey_.questions[i].id, static_cast<int>(i));
  }
  for (const ColumnAssignment& a : options_.mapping->columns) {
    if (a.column < 0 || a.column >= ImportOptions::kMaxColumns) continue;
    ColumnRole role;
    switch (a.kind) {
      case ColumnRoleKind::kQuestion:
      case ColumnRoleKind::kText: {
        const auto it = question_of_id.find(a.id);
        if (it == question_of_id.end()) {
          diagnostics_.Warn(0, "mapped column " + std::to_string(a.column + 1) + ": question " +
                                   Name(a.id) + " is not in survey " + Name(survey_.id) +
                                   "; column ignored");
          continue;
        }
        role.question = it->second;
        break;
      }
      case ColumnRoleKind::kDate:
        role.date = true;
        break;
      case ColumnRoleKind::kSegment:
        role.by = true;
        segment_name = !a.id.empty() ? a.id : !a.name.empty() ? a.name : "segment";
        break;
      default:
        continue;
    }
    if (roles_by_column_.size() <= static_cast<size_t>(a.column)) {
      roles_by_column_.resize(static_cast<size_t>(a.column) + 1);
    }
    roles_by_column_[a.column] = role;
    if (!a.name.empty()) {
      roles_by_name_[a.name] = role;  // NDJSON keys
    } else if (options_.format == ImportFormat::kNdjson) {
      diagnostics_.Warn(0, "mapped column " + std::to_string(a.column + 1) + " (" + MappedWhat(a) +
                               ") has no \"name\": NDJSON records are read by key; ignored");
    }
  }
  // The segment is the mapping's; `by` only names it (CellTable segments when it is set).
  options_.by = segment_name;
}

const ColumnRole* RecordBuilder::RoleOfColumn(size_t col) const {
  if (col >= roles_by_column_.size() || !roles_by_column_[col].relevant()) return nullptr;
  return &roles_by_column_[col];
}

bool RecordBuilder::SkipHeaderRow() {
  if (header_rows_left_ <= 0) return false;
  --header_rows_left_;
  return true;
}

void RecordBuilder::CheckMappedHeader(int64_t line, size_t ncols,
                                      const std::vector<std::string>& names) {
  (void)names;
  for (const ColumnAssignment& a : options_.mapping->columns) {
    if (a.kind == ColumnRoleKind::kIgnore || a.column < 0) continue;
    if (static_cast<size_t>(a.column) < ncols) continue;
    diagnostics_.Warn(line, "mapped column " + std::to_string(a.column + 1) + " (" + MappedWhat(a) +
                                ") is not in the header (" + std::to_string(ncols) + " columns)");
  }
}

const ColumnRole* RecordBuilder::Lookup(std::string_view name) const {
  const auto it = roles_by_name_.find(name);
  return it == roles_by_name_.end() ? nullptr : &it->second;
}

void RecordBuilder::MarkSeen(const ColumnRole& role) {
  if (role.question >= 0) question_seen_[role.question] = true;
}

void RecordBuilder::StartRecord(int64_t line) {
  line_ = line;
  failed_ = false;
  ++serial_;
  for (PendingAnswer& p : pending_) p = PendingAnswer();
  choices_.clear();
  has_segment_ = false;
  segment_.clear();
  day_.reset();
  std::fill(key_taken_.begin(), key_taken_.end(), 0);
}

void RecordBuilder::Fail(std::string message) {
  if (failed_) return;
  failed_ = true;
  diagnostics_.Error(line_, std::move(message));
}

void RecordBuilder::FailColumn(std::string_view column, const std::string& detail) {
  Fail("column " + Name(column) + ": " + detail);
}

bool RecordBuilder::TakeKey(const ColumnRole& role) {
  const size_t slot = role.question >= 0 ? static_cast<size_t>(role.question)
                      : role.date        ? questions_.size()
                                         : questions_.size() + 1;
  if (key_taken_[slot]) return false;
  key_taken_[slot] = 1;
  return true;
}

void RecordBuilder::SetText(const ColumnRole& role, std::string_view column,
                            std::string_view text) {
  if (role.question >= 0) {
    const QuestionInfo& info = questions_[role.question];
    if (info.scale) {
      SetScaleText(role.question, column, text);
    } else if (info.q->type == QuestionType::kChoice) {
      SetChoiceText(role.question, column, text);
    } else {
      pending_[role.question].kind = Trim(text).empty() ? CellKind::kSkipped : CellKind::kText;
    }
  }
  if (failed_) return;
  if (role.date) SetDateText(column, text);
  if (role.by) SetSegment(text);
}

void RecordBuilder::SetJson(const ColumnRole& role, std::string_view column,
                            const JsonScalar& value) {
  if (value.type == JsonScalar::kString) {
    SetText(role, column, value.text);
    return;
  }
  if (role.question >= 0) {
    const QuestionInfo& info = questions_[role.question];
    PendingAnswer& p = pending_[role.question];
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
  if (failed_) return;
  if (role.date && value.type != JsonScalar::kNull) {
    FailColumn(column, std::string(value.text) + " is not a date (YYYY-MM-DD)");
    return;
  }
  if (role.by) SetSegment(value.type == JsonScalar::kNull ? std::string_view() : value.text);
}

void RecordBuilder::SetScaleText(int qi, std::string_view column, std::string_view raw) {
  PendingAnswer& p = pending_[qi];
  if (PlainScaleValue(raw, questions_[qi], &p.value)) {  // what the rest would conclude
    p.kind = CellKind::kValue;
    return;
  }
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
  const QuestionInfo& info = questions_[qi];
  int v = 0;
  bool read = ParseWhole(text, &v);
  if (!read && mapped()) {
    // A text answer ("Very satisfied", "10 - Extremely likely") under an explicit mapping.
    const std::optional<int> point = ScalePointOfText(raw, info.q->type, info.q->scale);
    if (point) {
      v = *point;
      read = true;
    }
  }
  if (!read || v < info.min || v > info.max) {
    FailColumn(column, Quote(raw) + " is not " + ScaleName(info.q->type) + " answer" + Range(info));
    return;
  }
  p.kind = CellKind::kValue;
  p.value = v;
}

void RecordBuilder::SetScaleNumber(int qi, std::string_view column, const JsonScalar& value) {
  const QuestionInfo& info = questions_[qi];
  if (value.type != JsonScalar::kNumber || !value.integral || value.number < info.min ||
      value.number > info.max) {
    FailColumn(column, std::string(value.text) + " is not " + ScaleName(info.q->type) + " answer" +
                           Range(info));
    return;
  }
  pending_[qi].kind = CellKind::kValue;
  pending_[qi].value = static_cast<int>(value.number);
}

void RecordBuilder::BeginChoices(int qi) {
  PendingAnswer& p = pending_[qi];
  p.kind = CellKind::kChoices;
  p.begin = p.end = static_cast<uint32_t>(choices_.size());
}

bool RecordBuilder::AddChoice(int qi, std::string_view column, std::string_view option) {
  QuestionInfo& info = questions_[qi];
  const std::string_view id = Trim(option);
  if (id.empty()) return true;
  const auto it = info.option_index.find(id);
  if (it == info.option_index.end()) {
    FailColumn(column, Quote(id) + " is not an option" + info.option_list);
    return false;
  }
  if (info.option_mark[it->second] == serial_) return true;  // chosen twice counts once
  info.option_mark[it->second] = serial_;
  choices_.push_back(it->second);
  pending_[qi].end = static_cast<uint32_t>(choices_.size());
  return true;
}

void RecordBuilder::EndChoices(int qi, std::string_view column) {
  PendingAnswer& p = pending_[qi];
  if (p.end == p.begin) {
    p.kind = CellKind::kSkipped;
  } else if (!questions_[qi].q->multiple && p.end - p.begin > 1) {
    FailColumn(column, "only one option may be chosen");
  }
}

void RecordBuilder::SetChoiceText(int qi, std::string_view column, std::string_view raw) {
  const std::string_view text = Trim(raw);
  if (text.empty()) {
    pending_[qi].kind = CellKind::kSkipped;
    return;
  }
  BeginChoices(qi);
  if (!questions_[qi].q->multiple) {
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
  PendingAnswer& p = pending_[qi];
  if (p.end == p.begin) p.kind = CellKind::kSkipped;  // only separators
}

void RecordBuilder::SetDateText(std::string_view column, std::string_view raw) {
  int64_t cached = 0;
  if (day_cache_.Find(raw, &cached)) {
    day_ = cached;
    return;
  }
  std::string_view text = Trim(raw);
  if (text.empty()) return;
  std::string normalized;
  if (!IsAscii(text)) {
    normalized = NormalizeDigits(text);
    text = normalized;
  }
  if (date_format_) {
    day_ = ParseDay(text, *date_format_);
    if (!day_) {
      FailColumn(column, Quote(raw) + " is not a date (" + DateFormatName(*date_format_) + ", " +
                             PlausibleYears(date_format_->calendar) + ")");
      return;
    }
    day_cache_.Store(raw, *day_);
    return;
  }
  Calendar calendar = Calendar::kGregorian;
  const std::optional<int64_t> parsed = ParseDefaultDay(text, &calendar);
  if (!parsed) {
    FailColumn(column, Quote(raw) + " is not a date (YYYY-MM-DD, " +
                           PlausibleYears(Calendar::kGregorian) + ", or Solar Hijri " +
                           std::to_string(kMinJalaliYear) + "-" +
                           std::to_string(kMaxJalaliEraYear) + ")");
    return;
  }
  if (calendar == Calendar::kJalali && !solar_hijri_said_) {
    solar_hijri_said_ = true;
    solar_hijri_warning_ = summary_.warnings.size();
    Warn("column " + Name(column) + ": " + Quote(raw) +
         " is read as a Solar Hijri date (a year of " + std::to_string(kMinJalaliYear) + "-" +
         std::to_string(kMaxJalaliEraYear) + "); give a date format to read the column otherwise");
  }
  day_ = parsed;
  day_cache_.Store(raw, *parsed);
}

void RecordBuilder::SetSegment(std::string_view value) {
  has_segment_ = true;
  segment_.assign(Trim(value));
}

void RecordBuilder::EndRecord() {
  if (failed_) {
    ++summary_.bad_rows;
    return;
  }
  NoteAccepted();
  cells_->Add(pending_, choices_, has_segment_ ? &segment_ : nullptr, day_, line_);
}

void RecordBuilder::NoteAccepted() {
  for (size_t i = 0; i < pending_.size(); ++i) {
    if (pending_[i].kind != CellKind::kMissing) question_seen_[i] = true;
  }
  if (has_segment_) by_seen_ = true;
  if (day_) NoteDays(*day_, *day_);
}

void RecordBuilder::NoteDays(int64_t first, int64_t last) {
  date_seen_ = true;
  if (!any_day_ || first < min_day_) min_day_ = first;
  if (!any_day_ || last > max_day_) max_day_ = last;
  any_day_ = true;
}

void RecordBuilder::FinishNdjson() {
  line_ = 0;  // the notes below concern the whole file
  const bool accepted = summary_.rows > summary_.bad_rows;
  if (!options_.by.empty() && !by_seen_ && accepted) {
    Warn("segment key " + Name(options_.by) + " occurs in no record");
  }
  if (options_.period && !date_seen_ && accepted) {
    Warn("no record has a \"date\" key: periods are \"(none)\"");
  }
  if (default_survey_ && accepted &&
      std::find(question_seen_.begin(), question_seen_.end(), true) == question_seen_.end()) {
    Warn("no key to score: expected nps, csat or ces (or pass a survey definition)");
  }
}

void RecordBuilder::Finish() {
  if (any_day_) {
    summary_.from = FormatDay(min_day_);
    summary_.to = FormatDay(max_day_);
  }
}

std::vector<ReportCellInput> RecordBuilder::Cells() const {
  // Without a survey only the default questions whose column occurs are reported.
  std::vector<size_t> shown;
  for (size_t i = 0; i < questions_.size(); ++i) {
    if (default_survey_ && !question_seen_[i]) continue;
    shown.push_back(i);
  }
  return cells_->Cells(survey_, shown, question_seen_);
}

}  // namespace nazar::import_internal
