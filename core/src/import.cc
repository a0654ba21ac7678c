// The public face of the importer: formats, the BOM, and ResponseImporter, which wires a record
// reader (CSV: import_csv.h over the byte scanner import_scanner.h; NDJSON: import_ndjson.h) to
// the record builder (import_builder.h) and its cell table (import_cells.h).
#include "nazar/import.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "import_builder.h"
#include "import_csv.h"
#include "import_ndjson.h"
#include "import_utf16.h"
#include "text_util.h"

namespace nazar {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::string_view kBomLe = "\xFF\xFE";
constexpr std::string_view kBomBe = "\xFE\xFF";

// What, besides the file, decides an import's cells, as one string: two parts of a file merge only
// when they were read with the same (ExportState(), Absorb()).
std::string CellOptions(const ImportOptions& o) {
  std::string out = "by=" + o.by +
                    ";period=" + (o.period ? std::to_string(static_cast<int>(*o.period)) : "none") +
                    ";calendar=" + std::to_string(static_cast<int>(o.calendar));
  if (o.survey) out += ";survey=" + o.survey->id + "@" + o.survey->version;
  return out;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// What the first bytes say: the encoding and how many bytes of BOM to drop, or nothing while
// `head` (not `final`) may still be the start of a BOM.
struct BomDecision {
  TextEncoding encoding = TextEncoding::kUtf8;
  size_t bom_bytes = 0;
};
std::optional<BomDecision> DecideBom(std::string_view head, bool final, TextEncoding wanted) {
  BomDecision d;
  const std::string_view boms[] = {kBom, kBomLe, kBomBe};
  const TextEncoding kinds[] = {TextEncoding::kUtf8, TextEncoding::kUtf16Le,
                                TextEncoding::kUtf16Be};
  for (int i = 0; i < 3; ++i) {
    if (StartsWith(head, boms[i])) {
      d.encoding = kinds[i];
      d.bom_bytes = boms[i].size();
      break;
    }
    if (!final && head.size() < boms[i].size() && StartsWith(boms[i], head)) return std::nullopt;
  }
  if (wanted != TextEncoding::kAuto && wanted != d.encoding) {
    d.encoding = wanted;  // the caller knows better; a BOM of another encoding is data
    d.bom_bytes = 0;
  }
  return d;
}

}  // namespace

namespace import_internal {

Result<std::string> DecodeHead(std::string_view head, bool final, TextEncoding* encoding) {
  const BomDecision d = *DecideBom(head, true, TextEncoding::kAuto);
  *encoding = d.encoding;
  head.remove_prefix(d.bom_bytes);
  if (d.encoding == TextEncoding::kUtf8) return std::string(head);
  Utf16Decoder decoder(d.encoding == TextEncoding::kUtf16Be);
  std::string out;
  if (!decoder.Feed(head, &out) || (final && !decoder.Finish())) {
    return Status(StatusCode::kInvalidArgument,
                  "line " + std::to_string(decoder.error_line()) + ": " + decoder.error());
  }
  return out;
}

}  // namespace import_internal

const char* TextEncodingName(TextEncoding encoding) {
  switch (encoding) {
    case TextEncoding::kUtf8:
      return "utf-8";
    case TextEncoding::kUtf16Le:
      return "utf-16le";
    case TextEncoding::kUtf16Be:
      return "utf-16be";
    default:
      return "auto";
  }
}

TextEncoding SniffTextEncoding(std::string_view head) {
  if (StartsWith(head, kBomLe)) return TextEncoding::kUtf16Le;
  if (StartsWith(head, kBomBe)) return TextEncoding::kUtf16Be;
  return TextEncoding::kUtf8;
}

const char* ColumnRoleKindName(ColumnRoleKind kind) {
  switch (kind) {
    case ColumnRoleKind::kQuestion:
      return "question";
    case ColumnRoleKind::kDate:
      return "date";
    case ColumnRoleKind::kSegment:
      return "segment";
    case ColumnRoleKind::kText:
      return "text";
    default:
      return "ignore";
  }
}

char SniffCsvDelimiter(std::string_view header_line) {
  size_t commas = 0, semicolons = 0, tabs = 0;
  bool quoted = false;
  for (char c : header_line) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    commas += c == ',';
    semicolons += c == ';';
    tabs += c == '\t';
  }
  char delimiter = ',';
  if (semicolons > commas && semicolons >= tabs) delimiter = ';';
  if (tabs > commas && tabs > semicolons) delimiter = '\t';
  return delimiter;
}

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
  const TextEncoding encoding = SniffTextEncoding(head);
  if (encoding != TextEncoding::kUtf8) {
    // The first non-blank code unit after the BOM.
    const bool be = encoding == TextEncoding::kUtf16Be;
    for (size_t i = 2; i + 1 < head.size(); i += 2) {
      const char hi = head[be ? i : i + 1];
      const char lo = head[be ? i + 1 : i];
      if (hi == 0 && text::IsBlank(lo)) continue;
      return hi == 0 && lo == '{' ? ImportFormat::kNdjson : ImportFormat::kCsv;
    }
    return ImportFormat::kCsv;
  }
  if (StartsWith(head, kBom)) head.remove_prefix(kBom.size());
  for (char c : head) {
    if (text::IsBlank(c)) continue;
    return c == '{' ? ImportFormat::kNdjson : ImportFormat::kCsv;
  }
  return ImportFormat::kCsv;
}

std::string ImportError::ToString() const {
  if (line <= 0) return message;
  return "line " + std::to_string(line) + ": " + message;
}

struct ResponseImporter::Impl {
  explicit Impl(ImportOptions options) : builder(std::move(options)) {
    if (builder.options().format == ImportFormat::kNdjson) {
      ndjson.emplace(&builder);
    } else {
      csv.emplace(&builder);
    }
  }

  void Feed(std::string_view chunk);
  // Bytes after the BOM, in the input's encoding.
  void Decode(std::string_view chunk);
  // A UTF-16 error: the record holding it is rejected and nothing after it is read.
  void Stop(const import_internal::Utf16Decoder& decoder);
  void Read(std::string_view chunk) {
    if (chunk.empty()) return;
    if (csv) {
      csv->Feed(chunk);
    } else {
      ndjson->Feed(chunk);
    }
  }

  // Physical line of the next byte (1-based).
  int64_t NextLine() const { return csv ? csv->line() : ndjson->line(); }

  import_internal::RecordBuilder builder;
  // A continuation (FeedHeader()): the header's warnings (the first part has them too) and the
  // line its part starts at.
  bool continuation = false;
  size_t header_warnings = 0;
  int64_t first_line = 1;
  std::optional<import_internal::CsvReader> csv;
  std::optional<import_internal::NdjsonReader> ndjson;
  bool finished = false;
  bool stopped = false;  // a UTF-16 error: the rest is not read
  // BOM detection at the start of the stream.
  bool bom_done = false;
  std::string bom_buf;
  // UTF-16 input: the transcoding stage and its output buffer.
  std::optional<import_internal::Utf16Decoder> utf16;
  std::string utf8;
};

void ResponseImporter::Impl::Feed(std::string_view chunk) {
  if (stopped) return;
  if (!bom_done) {
    // Hold the first bytes until they are known to be a BOM or not (at most 3).
    const size_t take = std::min(chunk.size(), kBom.size() - bom_buf.size());
    bom_buf.append(chunk.data(), take);
    chunk.remove_prefix(take);
    const std::optional<BomDecision> d = DecideBom(bom_buf, false, builder.options().encoding);
    if (!d) return;  // still a prefix of a BOM and the chunk is used up
    bom_done = true;
    if (d->encoding == TextEncoding::kUtf16Le || d->encoding == TextEncoding::kUtf16Be) {
      utf16.emplace(d->encoding == TextEncoding::kUtf16Be);
    }
    const std::string held = bom_buf.substr(d->bom_bytes);
    Decode(held);
  }
  Decode(chunk);
}

void ResponseImporter::Impl::Decode(std::string_view chunk) {
  if (stopped || chunk.empty()) return;
  if (!utf16) {
    Read(chunk);
    return;
  }
  utf8.clear();
  const bool ok = utf16->Feed(chunk, &utf8);
  Read(utf8);
  if (!ok) Stop(*utf16);
}

void ResponseImporter::Impl::Stop(const import_internal::Utf16Decoder& decoder) {
  stopped = true;
  ImportSummary& s = builder.summary();
  ++s.rows;
  ++s.bad_rows;
  if (s.errors.size() < static_cast<size_t>(ImportOptions::kMaxReportedErrors)) {
    s.errors.push_back(
        {decoder.error_line(), decoder.error() + "; the rest of the file is not read"});
  }
}

ResponseImporter::ResponseImporter(ImportOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

ResponseImporter::~ResponseImporter() = default;

void ResponseImporter::Feed(std::string_view chunk) {
  if (!impl_->finished) impl_->Feed(chunk);
}

void ResponseImporter::Finish() {
  Impl& im = *impl_;
  if (im.finished) return;
  if (!im.bom_done && !im.stopped) {
    im.bom_done = true;
    const BomDecision d = *DecideBom(im.bom_buf, true, im.builder.options().encoding);
    if (d.encoding == TextEncoding::kUtf16Le || d.encoding == TextEncoding::kUtf16Be) {
      im.utf16.emplace(d.encoding == TextEncoding::kUtf16Be);
    }
    im.Decode(std::string_view(im.bom_buf).substr(d.bom_bytes));
  }
  if (im.utf16 && !im.stopped && !im.utf16->Finish()) im.Stop(*im.utf16);
  if (im.stopped) {
    // The record the error is in is rejected (counted in Stop): its bytes are not read.
  } else if (im.csv) {
    im.csv->Finish();
  } else {
    im.ndjson->Finish(!im.continuation);
  }
  im.builder.Finish();
  im.finished = true;
}

const ImportSummary& ResponseImporter::summary() const { return impl_->builder.summary(); }

std::string ResponseImporter::SurveyId() const { return impl_->builder.survey().id; }

std::string ResponseImporter::KernelModule() const {
  return impl_->csv && !impl_->finished ? impl_->csv->KernelModule() : "";
}

void ResponseImporter::UseKernel(CompiledKernel run) {
  if (impl_->csv) impl_->csv->UseKernel(run);
}

std::vector<ReportCellInput> ResponseImporter::Cells() const { return impl_->builder.Cells(); }

std::optional<size_t> ResponseImporter::FeedHeader(std::string_view head) {
  Impl& im = *impl_;
  if (im.finished || im.continuation || im.bom_done || !im.bom_buf.empty()) return std::nullopt;
  const TextEncoding encoding = DecideBom(head, true, im.builder.options().encoding)->encoding;
  if (encoding != TextEncoding::kUtf8) return std::nullopt;
  size_t used = 0;
  if (im.csv) {
    // Line by line, so that no byte after the header's last line end is read.
    for (;;) {
      const size_t nl = head.find('\n', used);
      if (nl == std::string_view::npos) return std::nullopt;
      im.Feed(head.substr(used, nl + 1 - used));
      used = nl + 1;
      if (im.stopped) return std::nullopt;
      // A record also ends at a lone CR: a line that held data as well as the header's end
      // would be counted by both parts.
      const ImportSummary& seen = im.builder.summary();
      if (seen.rows != 0 || seen.bad_rows != 0) return std::nullopt;
      if (im.csv->AtRecordBoundary()) break;
    }
  } else {
    im.bom_done = true;  // the part after the boundary starts with data, never a BOM
  }
  im.continuation = true;
  im.header_warnings = im.builder.summary().warnings.size();
  im.first_line = im.NextLine();
  return used;
}

bool ResponseImporter::AtRecordBoundary() const {
  const Impl& im = *impl_;
  if (im.finished || im.stopped || im.utf16 || !im.bom_done) return false;
  return im.csv ? im.csv->AtRecordBoundary() : im.ndjson->AtRecordBoundary();
}

Result<std::string> ResponseImporter::ExportState() {
  Impl& im = *impl_;
  if (!im.continuation) {
    return Status(StatusCode::kFailedPrecondition,
                  "only a continuation (FeedHeader) exports its state");
  }
  Finish();
  import_internal::PartState state = im.builder.ExportState(im.header_warnings);
  state.format = ImportFormatName(im.builder.options().format);
  state.options = CellOptions(im.builder.options());
  state.first_line = im.first_line;
  if (im.csv) {
    state.column_count = static_cast<int64_t>(im.csv->column_count());
    state.columns = im.csv->column_names();
  }
  return import_internal::EncodeState(state);
}

Status ResponseImporter::Absorb(std::string_view state) {
  Impl& im = *impl_;
  if (!AtRecordBoundary()) {
    return Status(StatusCode::kFailedPrecondition,
                  "the input so far does not end between two records: feed the rest instead");
  }
  Result<import_internal::PartState> part = import_internal::DecodeState(state);
  if (!part.ok()) return part.status();
  const std::string_view format = ImportFormatName(im.builder.options().format);
  if (part->format != format) {
    return Status(StatusCode::kInvalidArgument, "import state: of a " + text::Name(part->format) +
                                                    " import, not " + std::string(format));
  }
  if (part->options != CellOptions(im.builder.options())) {
    return Status(StatusCode::kInvalidArgument,
                  "import state: of an import with other options (" + text::Name(part->options) +
                      ", this one " + text::Name(CellOptions(im.builder.options())) + ")");
  }
  // Of the same header (the continuation read the file's own head): else it is another file's.
  const int64_t columns = im.csv ? static_cast<int64_t>(im.csv->column_count()) : 0;
  if (part->column_count != columns ||
      (im.csv ? part->columns != im.csv->column_names() : !part->columns.empty())) {
    return Status(StatusCode::kInvalidArgument, "import state: of a file with another header (" +
                                                    std::to_string(part->column_count) +
                                                    " columns, this one " +
                                                    std::to_string(columns) + ")");
  }
  if (part->first_line < 1) {
    return Status(StatusCode::kInvalidArgument, "import state: first_line below 1");
  }
  // The continuation numbered its part's lines from first_line; here they start at NextLine().
  return im.builder.AbsorbState(*part, im.NextLine() - part->first_line);
}

}  // namespace nazar
