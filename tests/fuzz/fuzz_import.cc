// libFuzzer target: the response importer (CSV and NDJSON) on arbitrary bytes. The first two
// bytes choose the options and where to split the input; the same input fed whole and in three
// pieces must give the same result (the push parser may not depend on chunking), and so must
// two parts merged (ExportState, Absorb) where the core takes them; the cells must add up. Built
// with the core's JSON_NOEXCEPTION, so a throwing nlohmann call aborts here.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "nazar/import.h"
#include "nazar/report.h"

namespace {

// Every question kind the importer handles, with a few choice options.
nazar::Survey FuzzSurvey() {
  using nazar::Question;
  using nazar::QuestionType;
  nazar::Survey s;
  s.id = "fuzz";
  auto add = [&s](const char* id, QuestionType type, int scale, bool multiple = false) {
    Question q;
    q.id = id;
    q.type = type;
    q.scale = scale;
    q.multiple = multiple;
    if (type == QuestionType::kChoice) q.options = {{"a", {}}, {"b", {}}, {"web", {}}};
    s.questions.push_back(q);
  };
  add("nps", QuestionType::kNps, 11);
  add("csat", QuestionType::kCsat, 5);
  add("ces", QuestionType::kCes, 7);
  add("r", QuestionType::kRating, 10);
  add("c", QuestionType::kChoice, 0);
  add("m", QuestionType::kChoice, 0, true);
  add("t", QuestionType::kText, 0);
  return s;
}

// A full rendering of the result, to compare two runs.
std::string Describe(const nazar::ResponseImporter& importer) {
  const nazar::ImportSummary& s = importer.summary();
  std::string out =
      std::to_string(s.rows) + "/" + std::to_string(s.bad_rows) + "/" + s.from + "/" + s.to + "\n";
  for (const nazar::ImportError& e : s.errors) out += e.ToString() + "\n";
  for (const nazar::ImportError& e : s.warnings) out += e.ToString() + "\n";
  for (const nazar::ReportCellInput& c : importer.Cells()) {
    out += c.segment + "|" + c.period + "|" + std::to_string(c.tally.completions) + "\n";
    for (const nazar::QuestionTally& q : c.tally.questions) {
      out += q.id + ":" + std::to_string(q.answered) + ":" + std::to_string(q.skipped);
      for (double v : q.counts) out += "," + std::to_string(v);
      out += "\n";
    }
  }
  return out;
}

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const uint8_t mode = data[0];
  const uint8_t split = data[1];
  const std::string_view input(reinterpret_cast<const char*>(data + 2), size - 2);

  nazar::ImportOptions options;
  options.format = (mode & 1) ? nazar::ImportFormat::kNdjson : nazar::ImportFormat::kCsv;
  if (mode & 2) options.by = (mode & 64) ? "c" : "seg";
  switch ((mode >> 2) & 3) {
    case 1:
      options.period = nazar::Period::kDay;
      break;
    case 2:
      options.period = nazar::Period::kWeek;
      break;
    case 3:
      options.period = nazar::Period::kMonth;
      break;
    default:
      break;
  }
  if (mode & 16) options.survey = FuzzSurvey();
  if (mode & 32) options.delimiter = ';';

  nazar::ResponseImporter whole(options);
  whole.Feed(input);
  whole.Finish();

  // Three pieces: cut at a data-derived point and in the middle of the rest.
  const size_t a = input.size() * split / 256;
  const size_t b = a + (input.size() - a) / 2;
  nazar::ResponseImporter pieces(options);
  pieces.Feed(input.substr(0, a));
  pieces.Feed(input.substr(a, b - a));
  pieces.Feed(std::string_view());
  pieces.Feed(input.substr(b));
  pieces.Finish();
  const std::string described = Describe(whole);
  Check(described == Describe(pieces));

  // Two parts at a record boundary (a continuation reads the header, then [a, end)), merged: one
  // import's result when the core takes the state. The state with one byte changed is taken or
  // refused by another importer, never a crash, and a refusal leaves it as it was.
  nazar::ResponseImporter first(options);
  first.Feed(input.substr(0, a));
  nazar::ResponseImporter second(options);
  if (first.AtRecordBoundary() && second.FeedHeader(input.substr(0, a)).has_value()) {
    second.Feed(input.substr(a));
    nazar::Result<std::string> state = second.ExportState();
    Check(state.ok());
    std::string bent = state.value();
    bent[(split * 7u + mode) % bent.size()] ^= static_cast<char>(mode | 1);
    nazar::ResponseImporter other(options);
    other.Feed(input.substr(0, a));
    if (!other.Absorb(bent).ok()) {  // refused: nothing changed, so reading on gives one import
      other.Feed(input.substr(a));
      other.Finish();
      Check(Describe(other) == described);
    }
    if (first.Absorb(state.value()).ok()) {
      first.Finish();
      Check(Describe(first) == described);
    }
  }

  const nazar::ImportSummary& s = whole.summary();
  Check(s.bad_rows >= 0 && s.bad_rows <= s.rows);
  Check(s.errors.size() <= static_cast<size_t>(nazar::ImportOptions::kMaxReportedErrors));
  Check(s.errors.size() <= static_cast<size_t>(s.bad_rows));
  Check(s.from <= s.to);
  const std::vector<nazar::ReportCellInput> cells = whole.Cells();
  Check(!cells.empty());
  Check(cells[0].segment.empty() && cells[0].period.empty());
  Check(cells[0].tally.completions == static_cast<double>(s.rows - s.bad_rows));
  double split_total = 0;
  for (size_t i = 1; i < cells.size(); ++i) {
    Check(!cells[i].segment.empty() || !cells[i].period.empty());
    if (i > 1) {
      Check(cells[i - 1].segment < cells[i].segment ||
            (cells[i - 1].segment == cells[i].segment && cells[i - 1].period < cells[i].period));
    }
    split_total += cells[i].tally.completions;
  }
  if (!options.by.empty() || options.period) Check(split_total == cells[0].tally.completions);
  for (const nazar::QuestionTally& q : cells[0].tally.questions) {
    Check(q.answered + q.skipped <= cells[0].tally.completions);
    double sum = 0;
    for (double v : q.counts) sum += v;
    if (q.type != nazar::QuestionType::kChoice && q.type != nazar::QuestionType::kText) {
      Check(sum == q.answered);
    }
  }
  return 0;
}
