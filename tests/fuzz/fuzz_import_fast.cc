// libFuzzer target: the CSV fast path against the general scanner. The same bytes are imported
// three ways: by the public importer (fast path on) fed whole, by it fed in data-derived random
// pieces (records split by chunk ends fall back to the scanner), and by the reader with the
// fast path off (every byte through the RFC 4180 scanner: the reference). Cells, summaries,
// errors and warnings must be identical. Byte 0 picks the options, byte 1 seeds the pieces,
// byte 2 picks the issue-7 options: a mapping by index, 0-2 extra header rows, a date format,
// the Jalali calendar, and the body re-encoded as UTF-16 (LE or BE by byte 1's low bit) with a
// BOM, which the reference transcodes with the importer's Utf16Decoder.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "import_builder.h"
#include "import_csv.h"
#include "import_utf16.h"
#include "nazar/i18n.h"
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

// The mapping by index a mode may ask for: date, two scales, a text and the segment, in the
// first five columns (columns a short header lacks are warned about, not fatal).
nazar::ColumnMapping FuzzMapping() {
  nazar::ColumnMapping m;
  m.columns.push_back({0, nazar::ColumnRoleKind::kDate, "date", nazar::QuestionType::kNps, 0, ""});
  m.columns.push_back(
      {1, nazar::ColumnRoleKind::kQuestion, "nps", nazar::QuestionType::kNps, 11, "n"});
  m.columns.push_back(
      {2, nazar::ColumnRoleKind::kQuestion, "csat", nazar::QuestionType::kCsat, 5, ""});
  m.columns.push_back({3, nazar::ColumnRoleKind::kText, "t", nazar::QuestionType::kText, 0, ""});
  m.columns.push_back(
      {4, nazar::ColumnRoleKind::kSegment, "locale", nazar::QuestionType::kNps, 0, ""});
  return m;
}

// `text` as UTF-16 with a BOM: each code point Utf8Decode reads (U+FFFD for an invalid byte),
// pairs above U+FFFF.
std::string ToUtf16(std::string_view text, bool big_endian) {
  std::string out = big_endian ? "\xFE\xFF" : "\xFF\xFE";
  auto unit = [&](uint32_t u) {
    const char hi = static_cast<char>(u >> 8), lo = static_cast<char>(u & 0xFF);
    out += big_endian ? hi : lo;
    out += big_endian ? lo : hi;
  };
  for (size_t i = 0; i < text.size();) {
    uint32_t cp = 0;
    const size_t len = nazar::Utf8Decode(text, i, &cp);
    i += len == 0 ? 1 : len;
    if (cp >= 0x10000) {
      unit(0xD800 + ((cp - 0x10000) >> 10));
      unit(0xDC00 + ((cp - 0x10000) & 0x3FF));
    } else {
      unit(cp);
    }
  }
  return out;
}

void Check(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "fuzz_import_fast: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  const uint8_t mode = data[0];
  uint32_t rng = data[1] * 2654435761u + 1;
  const uint8_t mode2 = data[2];
  std::string_view input(reinterpret_cast<const char*>(data + 3), size - 3);

  nazar::ImportOptions options;
  if (mode & 1) options.by = (mode & 2) ? "locale" : "m";
  if (mode & 4) options.period = (mode & 8) ? nazar::Period::kMonth : nazar::Period::kWeek;
  if (mode & 16) options.survey = FuzzSurvey();
  if (mode & 32) options.delimiter = (mode & 64) ? ';' : '\t';
  const int header_rows = ((mode2 >> 1) & 3) % 3;
  if (mode2 & 1) {
    options.mapping = FuzzMapping();
    options.mapping->extra_header_rows = header_rows;
  } else if (header_rows > 0) {
    options.extra_header_rows = header_rows;
  }
  if (mode2 & 8) {
    const nazar::DateFormat formats[] = {{nazar::DateOrder::kYmd, nazar::Calendar::kGregorian},
                                         {nazar::DateOrder::kDmy, nazar::Calendar::kGregorian},
                                         {nazar::DateOrder::kMdy, nazar::Calendar::kGregorian},
                                         {nazar::DateOrder::kYmd, nazar::Calendar::kJalali}};
    options.date_format = formats[(mode2 >> 4) & 3];
  }
  if (mode2 & 64) options.calendar = nazar::Calendar::kJalali;
  std::string utf16;
  if (mode2 & 128) {
    utf16 = ToUtf16(input, (data[1] & 1) != 0);
    input = utf16;
  }

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
  // The reference: the general scanner alone, after the importer's first stages done here: a
  // UTF-8 BOM skipped, UTF-16 after its BOM transcoded by the same decoder. Invalid UTF-16 (only
  // from raw input) stops the importer mid-record, which the reference does not model.
  std::string_view body = input;
  std::string decoded;
  if (body.substr(0, 2) == "\xFF\xFE" || body.substr(0, 2) == "\xFE\xFF") {
    nazar::import_internal::Utf16Decoder decoder(body[0] == '\xFE');
    if (!decoder.Feed(body.substr(2), &decoded) || !decoder.Finish()) return 0;
    body = decoded;
  } else if (body.substr(0, 3) == "\xEF\xBB\xBF") {
    body.remove_prefix(3);
  }
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
