// libFuzzer target: the CSV fast path against the general scanner. The same bytes are imported
// three ways: by the public importer (fast path on) fed whole, by it fed in data-derived random
// pieces (records split by chunk ends fall back to the scanner), and by the reader with the
// fast path off (every byte through the RFC 4180 scanner: the reference). Cells, summaries,
// errors and warnings must be identical. Byte 0 picks the options, byte 1 seeds the pieces.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "import_builder.h"
#include "import_csv.h"
#include "nazar/import.h"
#include "nazar/report.h"

namespace {

// Everything an import reports, as one string to compare.
std::string Describe(const nazar::ImportSummary& s,
                     const std::vector<nazar::ReportCellInput>& cells) {
  std::string out =
      std::to_string(s.rows) + "/" + std::to_string(s.bad_rows) + "/" + s.from + "/" + s.to + "\n";
  for (const nazar::ImportError& e : s.errors) out += "E " + e.ToString() + "\n";
  for (const nazar::ImportError& e : s.warnings) out += "W " + e.ToString() + "\n";
  for (const nazar::ReportCellInput& c : cells) {
    out += c.segment + "|" + c.period + "|" + std::to_string(c.tally.completions) + "\n";
    for (const nazar::QuestionTally& q : c.tally.questions) {
      out += q.id + ":" + std::to_string(q.answered) + ":" + std::to_string(q.skipped);
      for (double v : q.counts) out += "," + std::to_string(v);
      out += "\n";
    }
  }
  return out;
}

// A survey with a text and a multiple-choice question next to the scales, so kept quoted fields
// with doubled quotes and "a|b" lists go through the fast path too.
nazar::Survey FuzzSurvey() {
  nazar::Survey s;
  s.id = "fuzz";
  auto add = [&s](const char* id, nazar::QuestionType type, int scale, bool multiple) {
    nazar::Question q;
    q.id = id;
    q.type = type;
    q.scale = scale;
    q.multiple = multiple;
    if (type == nazar::QuestionType::kChoice) q.options = {{"a", {}}, {"b", {}}, {"x\"y", {}}};
    s.questions.push_back(q);
  };
  add("nps", nazar::QuestionType::kNps, 11, false);
  add("csat", nazar::QuestionType::kCsat, 5, false);
  add("m", nazar::QuestionType::kChoice, 0, true);
  add("t", nazar::QuestionType::kText, 0, false);
  return s;
}

void Check(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "fuzz_import_fast: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const uint8_t mode = data[0];
  uint32_t rng = data[1] * 2654435761u + 1;
  const std::string_view input(reinterpret_cast<const char*>(data + 2), size - 2);

  nazar::ImportOptions options;
  if (mode & 1) options.by = (mode & 2) ? "locale" : "m";
  if (mode & 4) options.period = (mode & 8) ? nazar::Period::kMonth : nazar::Period::kWeek;
  if (mode & 16) options.survey = FuzzSurvey();
  if (mode & 32) options.delimiter = (mode & 64) ? ';' : '\t';

  nazar::ResponseImporter whole(options);
  whole.Feed(input);
  whole.Finish();

  nazar::ResponseImporter pieces(options);
  for (size_t at = 0; at < input.size();) {
    rng = rng * 1103515245u + 12345u;
    const size_t n = 1 + (rng >> 16) % ((mode & 128) ? 7 : 61);  // short pieces or longer ones
    pieces.Feed(input.substr(at, n));
    at += n;
  }
  pieces.Finish();

  // Both feeds go through the same stages, so they agree on any input.
  Check(Describe(whole.summary(), whole.Cells()) == Describe(pieces.summary(), pieces.Cells()),
        "input in pieces differs from the whole input");
  // The reference: the general scanner alone (the importer skips a UTF-8 BOM first). A UTF-16 BOM
  // sends the importer through its transcoding stage, which the scanner alone does not have.
  if (input.substr(0, 2) == "\xFF\xFE" || input.substr(0, 2) == "\xFE\xFF") return 0;
  std::string_view body = input;
  if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
  nazar::import_internal::RecordBuilder builder(options);
  nazar::import_internal::CsvReader reader(&builder, /*fast_path=*/false);
  reader.Feed(body);
  reader.Finish();
  builder.Finish();

  const std::string reference = Describe(builder.summary(), builder.Cells());
  Check(Describe(whole.summary(), whole.Cells()) == reference, "whole input differs");
  Check(Describe(pieces.summary(), pieces.Cells()) == reference, "input in pieces differs");
  return 0;
}
