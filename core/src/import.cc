// The public face of the importer: formats, the BOM, and ResponseImporter, which wires a record
// reader (CSV: import_csv.h over the byte scanner import_scanner.h; NDJSON: import_ndjson.h) to
// the record builder (import_builder.h) and its cell table (import_cells.h).
#include "nazar/import.h"

#include <optional>
#include <utility>

#include "import_builder.h"
#include "import_csv.h"
#include "import_ndjson.h"
#include "text_util.h"

namespace nazar {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

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
  void Read(std::string_view chunk) {
    if (chunk.empty()) return;
    if (csv) {
      csv->Feed(chunk);
    } else {
      ndjson->Feed(chunk);
    }
  }

  import_internal::RecordBuilder builder;
  std::optional<import_internal::CsvReader> csv;
  std::optional<import_internal::NdjsonReader> ndjson;
  bool finished = false;
  // BOM detection at the start of the stream.
  bool bom_done = false;
  std::string bom_buf;
};

void ResponseImporter::Impl::Feed(std::string_view chunk) {
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
      Read(bom_buf);  // not a BOM: the bytes are data
    } else {
      return;  // still a prefix of the BOM and the chunk is used up
    }
  }
  Read(chunk);
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
  if (!im.bom_done) {
    im.bom_done = true;
    im.Read(im.bom_buf);
  }
  if (im.csv) {
    im.csv->Finish();
  } else {
    im.ndjson->Finish();
  }
  im.builder.Finish();
  im.finished = true;
}

const ImportSummary& ResponseImporter::summary() const { return impl_->builder.summary(); }

std::string ResponseImporter::SurveyId() const { return impl_->builder.survey().id; }

std::vector<ReportCellInput> ResponseImporter::Cells() const { return impl_->builder.Cells(); }

}  // namespace nazar
