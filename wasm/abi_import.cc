// nazar_import_*: the analyze page's streaming import (core/include/nazar/score.h) behind
// integer handles. Parses options, moves bytes, renders the core's results; decides nothing.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "abi_internal.h"
#include "nazar/date.h"
#include "nazar/definition.h"
#include "nazar/mapping.h"
#include "nazar/report.h"
#include "nazar/score.h"
#include "nazar_abi.h"

namespace {

using nazar::Json;
using nazar::Status;
using nazar::StatusCode;

// One import: the scorer while bytes arrive, then its result (kept for nazar_import_compare).
struct Import {
  explicit Import(nazar::ScoreOptions options) : scorer(std::move(options)) {}
  nazar::ResponseScorer scorer;
  // The compiled record kernel: not offered yet (or none), offered by nazar_import_kernel, in use.
  enum class Kernel { kNone, kOffered, kInUse } kernel = Kernel::kNone;
  std::optional<nazar::ScoreResult> result;
  bool exported = false;  // a continuation whose state was taken: no more bytes
};

// Live imports by handle. Handles are never reused within a module instance.
std::map<int32_t, std::unique_ptr<Import>>& Imports() {
  static std::map<int32_t, std::unique_ptr<Import>> imports;
  return imports;
}
int32_t next_handle = 1;

// `key` as one JSON pointer token (RFC 6901: "~" -> "~0", "/" -> "~1").
std::string PointerToken(const std::string& key) {
  std::string out;
  for (char c : key) out += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
  return out;
}

Status Invalid(const std::string& pointer, const std::string& message) {
  return Status(StatusCode::kInvalidArgument, pointer + ": " + message);
}

// A string member into `out`, or an error naming its pointer. Absent: `out` unchanged.
Status StringMember(const Json& object, const char* key, std::string* out) {
  auto it = object.find(key);
  if (it == object.end()) return Status();
  if (!it->is_string()) return Invalid(std::string("/") + key, "expected a string");
  *out = it->get<std::string>();
  return Status();
}

// The options of nazar_import_begin as ScoreOptions (see nazar_abi.h for the JSON).
nazar::Result<nazar::ScoreOptions> ParseOptions(const Json& json) {
  if (!json.is_object()) return Invalid("options", "expected an object");
  nazar::ScoreOptions options;
  // The analyst's own file: every number shown, low-precision marks instead of suppression.
  options.report.suppress = false;
  options.sniff_format = true;
  static const char* const kKnown[] = {"format", "delimiter", "by",        "period", "calendar",
                                       "survey", "survey_id", "min_count", "mapping"};
  for (auto it = json.begin(); it != json.end(); ++it) {
    bool known = false;
    for (const char* key : kKnown) known = known || it.key() == key;
    if (!known) return Invalid("/" + PointerToken(it.key()), "unknown option");
  }

  std::string text = "auto";
  if (Status s = StringMember(json, "format", &text); !s.ok()) return s;
  if (text == "csv" || text == "ndjson") {
    options.sniff_format = false;
    options.import.format =
        text == "csv" ? nazar::ImportFormat::kCsv : nazar::ImportFormat::kNdjson;
  } else if (text != "auto") {
    return Invalid("/format", "\"" + text + "\" is not a format (use csv, ndjson or auto)");
  }

  text.clear();
  if (Status s = StringMember(json, "delimiter", &text); !s.ok()) return s;
  if (text == "," || text == ";" || text == "\t") {
    options.import.delimiter = text[0];
  } else if (!text.empty()) {
    return Invalid("/delimiter", "\"" + text +
                                     "\" is not a delimiter (use \",\", \";\", \"\\t\" "
                                     "or \"\" to detect it from the header line)");
  }

  if (Status s = StringMember(json, "by", &options.import.by); !s.ok()) return s;

  if (auto it = json.find("period"); it != json.end() && !it->is_null()) {
    if (!it->is_string()) return Invalid("/period", "expected a string or null");
    auto period = nazar::ParsePeriod(it->get<std::string>());
    if (!period.ok()) return Invalid("/period", period.status().message());
    options.import.period = period.value();
  }

  if (auto it = json.find("calendar"); it != json.end()) {
    if (!it->is_string()) return Invalid("/calendar", "expected a string");
    auto calendar = nazar::ParseCalendar(it->get<std::string>());
    if (!calendar.ok()) return Invalid("/calendar", calendar.status().message());
    options.import.calendar = calendar.value();
  }

  // The columns the analyst confirmed (mapping.h); its segment column replaces "by".
  if (auto it = json.find("mapping"); it != json.end() && !it->is_null()) {
    auto mapping = nazar::ColumnMappingFromJson(*it);
    if (!mapping.ok()) {
      return Status(mapping.status().code(), "/mapping" + mapping.status().message());
    }
    options.import.mapping = std::move(mapping).value();
  }

  std::string survey_id;
  if (Status s = StringMember(json, "survey_id", &survey_id); !s.ok()) return s;
  if (auto it = json.find("survey"); it != json.end() && !it->is_null()) {
    auto survey = nazar::PickSurvey(*it, survey_id, "/survey");
    if (!survey.ok()) return survey.status();
    options.import.survey = std::move(survey).value();
  } else if (!survey_id.empty()) {
    return Invalid("/survey_id", "needs /survey");
  }

  if (auto it = json.find("min_count"); it != json.end()) {
    constexpr int kMin = nazar::ReportOptions::kDefaultMinCount;
    if (!it->is_number_integer() || it->get<int64_t>() < kMin || it->get<int64_t>() > 1000000000) {
      return Invalid("/min_count", "expected a whole number of at least " + std::to_string(kMin));
    }
    options.report.min_count = static_cast<int>(it->get<int64_t>());
  }
  return options;
}

// The import of `handle`, or nullptr with the slot filled (NAZAR_NOT_FOUND).
Import* Find(int32_t handle, int* status) {
  auto it = Imports().find(handle);
  if (it != Imports().end()) return it->second.get();
  *status = nazar::abi::Fail(Status(StatusCode::kNotFound, "no import " + std::to_string(handle)));
  return nullptr;
}

// kFailedPrecondition when the import takes no more bytes.
Status Open(const Import& import, int32_t handle) {
  if (!import.result && !import.exported) return Status();
  return Status(StatusCode::kFailedPrecondition,
                "import " + std::to_string(handle) + " is finished");
}

// {"segment": s, "period": p} (either or both) at `pointer` as a CellKey.
nazar::Result<nazar::CellKey> ParseCellKey(const Json& request, const char* side) {
  const std::string pointer = std::string("/") + side;
  auto it = request.find(side);
  if (it == request.end() || !it->is_object()) {
    return Invalid(pointer, "expected an object {\"segment\": s} or {\"period\": p}");
  }
  nazar::CellKey key;
  for (auto m = it->begin(); m != it->end(); ++m) {
    const std::string at = pointer + "/" + PointerToken(m.key());
    if (m.key() != "segment" && m.key() != "period") return Invalid(at, "unknown key");
    if (!m->is_string()) return Invalid(at, "expected a string");
    (m.key() == "segment" ? key.segment : key.period) = m->get<std::string>();
  }
  return key;
}

}  // namespace

extern "C" {

int nazar_import_propose(const char* head, size_t size) {
  std::string_view bytes;
  int status = 0;
  if (!nazar::abi::InputBytes(head, size, "head", &bytes, &status)) return status;
  auto proposal = nazar::ProposeMapping(bytes);
  if (!proposal.ok()) return nazar::abi::Fail(proposal.status());
  return nazar::abi::Respond(nazar::MappingProposalToJson(*proposal));
}

int nazar_import_begin(const char* options, size_t size) {
  Json json;
  int status = 0;
  if (!nazar::abi::ParseInput(options, size, "options", &json, &status)) return status;
  auto parsed = ParseOptions(json);
  if (!parsed.ok()) return nazar::abi::Fail(parsed.status());
  const int32_t handle = next_handle++;
  Imports().emplace(handle, std::make_unique<Import>(std::move(parsed).value()));
  return nazar::abi::Respond({{"handle", handle}});
}

int nazar_import_feed(int32_t handle, const char* data, size_t size) {
  int status = 0;
  Import* import = Find(handle, &status);
  if (import == nullptr) return status;
  if (Status s = Open(*import, handle); !s.ok()) return nazar::abi::Fail(s);
  std::string_view bytes;
  if (!nazar::abi::InputBytes(data, size, "data", &bytes, &status)) return status;
  if (!bytes.empty()) import->scorer.Feed(bytes);
  const nazar::ScoreProgress progress = import->scorer.Progress();
  return nazar::abi::Respond(
      {{"rows", progress.rows}, {"bytes", progress.bytes}, {"bad_rows", progress.bad_rows}});
}

int nazar_import_finish(int32_t handle) {
  int status = 0;
  Import* import = Find(handle, &status);
  if (import == nullptr) return status;
  if (!import->result) import->result = import->scorer.Finish();
  return nazar::abi::RespondText(nazar::ScoreResultToJsonText(*import->result));
}

int nazar_import_kernel(int32_t handle) {
  int status = 0;
  Import* import = Find(handle, &status);
  if (import == nullptr) return status;
  std::string& slot = nazar::abi::Slot();
  slot = import->kernel == Import::Kernel::kInUse || import->result ? std::string()
                                                                    : import->scorer.KernelModule();
  if (!slot.empty()) import->kernel = Import::Kernel::kOffered;
  return NAZAR_OK;
}

int nazar_import_use_kernel(int32_t handle, int32_t table_index) {
  int status = 0;
  Import* import = Find(handle, &status);
  if (import == nullptr) return status;
  if (table_index <= 0) {
    return nazar::abi::Fail(Invalid("table_index", "expected a function table index above 0"));
  }
  if (import->result || import->kernel != Import::Kernel::kOffered) {
    return nazar::abi::Fail(
        Status(StatusCode::kFailedPrecondition,
               "import " + std::to_string(handle) + " has no record kernel to use"));
  }
  // In wasm32 a function pointer is its index in the module's function table.
  import->scorer.UseKernel(
      reinterpret_cast<nazar::CompiledKernel>(static_cast<uintptr_t>(table_index)));
  import->kernel = Import::Kernel::kInUse;
  return nazar::abi::Respond(Json::object());
}

int nazar_import_compare(int32_t handle, const char* request, size_t size) {
  int status = 0;
  Import* import = Find(handle, &status);
  if (import == nullptr) return status;
  if (!import->result) {
    return nazar::abi::Fail(Status(
        StatusCode::kFailedPrecondition,
        "import " + std::to_string(handle) + " is not finished: call nazar_import_finish first"));
  }
  Json json;
  if (!nazar::abi::ParseInput(request, size, "request", &json, &status)) return status;
  if (!json.is_object()) return nazar::abi::Fail(Invalid("request", "expected an object"));
  for (auto it = json.begin(); it != json.end(); ++it) {
    if (it.key() != "a" && it.key() != "b") {
      return nazar::abi::Fail(Invalid("/" + PointerToken(it.key()), "unknown key"));
    }
  }
  auto a = ParseCellKey(json, "a");
  if (!a.ok()) return nazar::abi::Fail(a.status());
  auto b = ParseCellKey(json, "b");
  if (!b.ok()) return nazar::abi::Fail(b.status());
  auto comparison = nazar::CompareCells(import->result->report, a.value(), b.value());
  if (!comparison.ok()) return nazar::abi::Fail(comparison.status());
  return nazar::abi::RespondText(nazar::ComparisonToJsonText(comparison.value()));
}

int nazar_import_continue(int32_t handle, const char* head, size_t size) {
  int status = 0;
  Import* import = Find(handle, &status);
  if (import == nullptr) return status;
  std::string_view bytes;
  if (!nazar::abi::InputBytes(head, size, "head", &bytes, &status)) return status;
  const std::optional<size_t> used = import->scorer.FeedHeader(bytes);
  if (!used) {
    return nazar::abi::Fail(Status(StatusCode::kFailedPrecondition,
                                   "import " + std::to_string(handle) +
                                       " cannot continue this file (fed already, a header longer "
                                       "than the head, or UTF-16): score it in one import"));
  }
  return nazar::abi::Respond({{"header_bytes", *used}});
}

int nazar_import_export_state(int32_t handle) {
  int status = 0;
  Import* import = Find(handle, &status);
  if (import == nullptr) return status;
  if (Status s = Open(*import, handle); !s.ok()) return nazar::abi::Fail(s);
  nazar::Result<std::string> state = import->scorer.ExportState();
  if (!state.ok()) return nazar::abi::Fail(state.status());
  import->exported = true;
  return nazar::abi::RespondText(std::move(state).value());
}

int nazar_import_absorb(int32_t handle, const char* state, size_t size) {
  int status = 0;
  Import* import = Find(handle, &status);
  if (import == nullptr) return status;
  if (Status s = Open(*import, handle); !s.ok()) return nazar::abi::Fail(s);
  std::string_view bytes;
  if (!nazar::abi::InputBytes(state, size, "state", &bytes, &status)) return status;
  const Status absorbed = import->scorer.Absorb(bytes);
  if (!absorbed.ok()) return nazar::abi::Fail(absorbed);
  return nazar::abi::Respond(Json::object());
}

int nazar_import_destroy(int32_t handle) {
  if (Imports().erase(handle) == 0) {
    return nazar::abi::Fail(Status(StatusCode::kNotFound, "no import " + std::to_string(handle)));
  }
  return nazar::abi::Respond(Json::object());
}

}  // extern "C"
