// The `nazar` command-line tool: validates survey definitions and scores exported responses.
// It only reads files and prints; parsing, validation, import and scoring are all in core/.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include "nazar/date.h"
#include "nazar/definition.h"
#include "nazar/import.h"
#include "nazar/json.h"
#include "nazar/mapping.h"
#include "nazar/report.h"
#include "nazar/score.h"

#ifndef NAZAR_VERSION
#define NAZAR_VERSION "unknown"
#endif

namespace nazar {
namespace {

// Exit codes, part of the CLI contract.
constexpr int kExitOk = 0;
constexpr int kExitUsage = 1;     // bad arguments, invalid definition
constexpr int kExitIo = 2;        // an input file cannot be read
constexpr int kExitRejected = 3;  // scored, but some rows were rejected (not counted)
constexpr size_t kChunkBytes = 64 * 1024;
// A regular file at least this long is read in two parts at once (--jobs, default 2).
constexpr int64_t kParallelMinBytes = int64_t{4} << 20;
// The head a continuation resolves the header from (ResponseScorer::FeedHeader): a header longer
// than this reads the file in one part.
constexpr size_t kHeaderHeadBytes = size_t{4} << 20;

constexpr const char kUsage[] =
    "Usage:\n"
    "  nazar validate FILE...      check survey definition files\n"
    "  nazar score FILE [options]  score exported responses (CSV or NDJSON)\n"
    "  nazar help [COMMAND]        show help for a command\n"
    "  nazar --help | --version\n";

constexpr const char kHelp[] =
    "nazar: validate Nazar survey definitions and score exported responses.\n\n";

constexpr const char kValidateHelp[] =
    "Usage: nazar validate FILE...\n\n"
    "Checks survey definition files (one survey, or {\"nazar\":1,\"surveys\":[...]}).\n"
    "Prints \"FILE: valid (N surveys: id, ...)\" for a valid file. For an invalid one it\n"
    "prints \"FILE: N errors\" and then every error as \"pointer: message\", one per line.\n\n"
    "Exit status: 0 all valid, 1 some file invalid, 2 a file cannot be read.\n";

constexpr const char kScoreHelp[] =
    "Usage: nazar score FILE [options]\n\n"
    "Scores exported responses (CSV with a header row, or NDJSON: one object per line) and\n"
    "prints the report: NPS, CSAT and CES with 95% intervals, per segment and period on\n"
    "request. FILE \"-\" reads standard input. The file is streamed in 64 KiB chunks, so any\n"
    "size scores in flat memory.\n\n"
    "Columns (CSV header names, NDJSON keys) are question ids; \"date\" (YYYY-MM-DD, time\n"
    "ignored) dates a response. Without --survey, columns nps (0-10), csat (1-5) and ces\n"
    "(1-7) are scored. Each row is one completed response (displays = completions = rows).\n"
    "An empty cell is a skipped question. A row with a bad value is rejected as a whole,\n"
    "counted and reported with its line number (the first 20); it never stops the import.\n"
    "A stray quote does not swallow the rest of the file: its row is rejected and reading\n"
    "resumes at the next line.\n\n"
    "Options:\n"
    "  --survey FILE       score the questions of this survey definition\n"
    "  --survey-id ID      the survey to use when FILE holds several\n"
    "  --by COLUMN         add a report cell per value of COLUMN (at most 1000 values)\n"
    "  --period P          add a report cell per day, week (ISO) or month of \"date\"\n"
    "  --format F          json (default, 2-space indent) or text\n"
    "  --min-count N       hide cells with fewer than N respondents and questions answered\n"
    "                      fewer than N times, plus what would reveal them (N >= 5;\n"
    "                      default 5)\n"
    "  --input F           csv or ndjson (default: from the file extension, .csv .tsv\n"
    "                      .ndjson .jsonl, else guessed from the content)\n"
    "  --delimiter D       CSV delimiter: ',', ';' or 'tab' (default: from the header line)\n"
    "  --propose           print a proposed column mapping for FILE (JSON, from its first\n"
    "                      256 KiB) instead of scoring: questions by name or values, the\n"
    "                      date column and its format, segment candidates, extra header rows\n"
    "  --map FILE          import by this column mapping (JSON: {\"columns\": [{\"column\": 3,\n"
    "                      \"kind\": \"question\", \"id\": \"nps\", \"type\": \"nps\"}, ...],\n"
    "                      \"extra_header_rows\": 2, \"date_format\": \"mdy\"}; the output of\n"
    "                      --propose works as it is). Columns by 0-based index; scale answers\n"
    "                      may be labels (\"Very satisfied\"); names are not matched\n"
    "  --skip-rows N       skip N rows after the header that are not data (0-5; Qualtrics\n"
    "                      writes 2, SurveyMonkey 1); overrides the mapping's\n"
    "  --date-format F     how dates are written: ymd (default, ISO; a year of 1278-1499\n"
    "                      is Solar Hijri), dmy, mdy or jalali (Solar Hijri\n"
    "                      year/month/day); overrides the mapping's\n"
    "  --calendar C        period labels in gregorian (default) or jalali (Solar Hijri\n"
    "                      months, weeks from Saturday)\n"
    "  --jobs N            read a file of 4 MiB or more in N parts at once, 1 or 2\n"
    "                      (default 2); the report is the same either way\n\n"
    "UTF-8 (with or without BOM) and UTF-16 LE/BE with a BOM are read.\n\n"
    "Exit status: 0 scored, every row counted; 1 usage or definition error; 2 a file\n"
    "cannot be read; 3 scored, but some rows were rejected (the report counts only the\n"
    "others; the summary lists them with their line numbers).\n";

// A fatal usage problem: printed as "nazar: <message>" with exit status 1.
int UsageError(const std::string& message) {
  std::cerr << "nazar: " << message << "\n";
  return kExitUsage;
}

int IoError(const std::string& path, int error) {
  std::cerr << "nazar: cannot read " << path << ": " << std::strerror(error) << "\n";
  return kExitIo;
}

// Streams a file (or stdin for "-") to `sink` in kChunkBytes pieces until its end or until
// `sink` returns false (no more is read). Returns 0 or an errno.
template <class Sink>
int ReadChunks(const std::string& path, Sink&& sink) {
  const bool is_stdin = path == "-";
  std::FILE* file = is_stdin ? stdin : std::fopen(path.c_str(), "rb");
  if (file == nullptr) return errno != 0 ? errno : EIO;
  std::vector<char> buffer(kChunkBytes);
  int error = 0;
  while (true) {
    const size_t n = std::fread(buffer.data(), 1, buffer.size(), file);
    if (n > 0 && !sink(std::string_view(buffer.data(), n))) break;
    if (n < buffer.size()) {
      if (std::ferror(file)) error = errno != 0 ? errno : EIO;
      break;
    }
  }
  if (!is_stdin) std::fclose(file);
  return error;
}

// Reads [from, to) of an open file (to: -1 for its end) to `sink` in kChunkBytes pieces. Returns
// 0 or an errno.
template <class Sink>
int ReadRange(int fd, int64_t from, int64_t to, Sink&& sink) {
  std::vector<char> buffer(kChunkBytes);
  for (int64_t at = from; to < 0 || at < to;) {
    const size_t want =
        to < 0 ? buffer.size() : static_cast<size_t>(std::min<int64_t>(to - at, buffer.size()));
    const ssize_t n = ::pread(fd, buffer.data(), want, at);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno != 0 ? errno : EIO;
    }
    if (n == 0) break;
    sink(std::string_view(buffer.data(), static_cast<size_t>(n)));
    at += n;
  }
  return 0;
}

int ReadWhole(const std::string& path, std::string* out) {
  out->clear();
  return ReadChunks(path, [out](std::string_view chunk) {
    out->append(chunk);
    return true;
  });
}

std::string Plural(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// ---- validate ----

int Validate(const std::vector<std::string>& files) {
  if (files.empty()) return UsageError("validate needs a FILE\n" + std::string(kUsage));
  int status = kExitOk;
  for (const std::string& path : files) {
    std::string text;
    errno = 0;
    if (const int error = ReadWhole(path, &text); error != 0) {
      IoError(path, error);
      status = kExitIo;
      continue;
    }
    const ParsedDefinitions parsed = ParseDefinitions(text);
    if (parsed.ok()) {
      std::string ids;
      for (const Survey& survey : parsed.surveys) ids += (ids.empty() ? "" : ", ") + survey.id;
      std::cout << path << ": valid (" << Plural(parsed.surveys.size(), "survey", "surveys") << ": "
                << ids << ")\n";
      continue;
    }
    std::cout << path << ": " << Plural(parsed.errors.size(), "error", "errors") << "\n";
    for (const DefinitionError& error : parsed.errors) std::cout << error.ToString() << "\n";
    if (status == kExitOk) status = kExitUsage;
  }
  return status;
}

// ---- score ----

struct ScoreArgs {
  std::string file;
  std::string survey_file;
  std::string survey_id;
  std::string by;
  std::optional<Period> period;
  bool text = false;
  int min_count = ReportOptions::kDefaultMinCount;
  std::optional<ImportFormat> input;
  char delimiter = 0;
  bool propose = false;
  std::string map_file;
  std::optional<int> skip_rows;
  std::optional<DateFormat> date_format;
  Calendar calendar = Calendar::kGregorian;
  int jobs = 2;
};

// Parses score's arguments; returns an error message ("" when fine).
std::string ParseScoreArgs(const std::vector<std::string>& args, ScoreArgs* out) {
  for (size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    std::optional<std::string> value;
    if (arg.size() > 2 && arg.compare(0, 2, "--") == 0) {
      const size_t eq = arg.find('=');
      if (eq != std::string::npos) {
        value = arg.substr(eq + 1);
        arg.resize(eq);
      }
    }
    auto take = [&](std::string* into) -> std::string {
      if (value) {
        *into = *value;
        return "";
      }
      if (i + 1 >= args.size()) return arg + " needs a value";
      *into = args[++i];
      return "";
    };
    std::string v;
    std::string error;
    if (arg == "--survey") {
      error = take(&out->survey_file);
    } else if (arg == "--survey-id") {
      error = take(&out->survey_id);
    } else if (arg == "--by") {
      error = take(&out->by);
      if (error.empty() && out->by.empty()) error = "--by needs a column name";
    } else if (arg == "--period") {
      error = take(&v);
      if (error.empty()) {
        Result<Period> period = ParsePeriod(v);
        if (period.ok()) {
          out->period = *period;
        } else {
          error = "--period: " + period.status().message();
        }
      }
    } else if (arg == "--format") {
      error = take(&v);
      if (error.empty()) {
        if (v == "json" || v == "text") {
          out->text = v == "text";
        } else {
          error = "--format must be json or text";
        }
      }
    } else if (arg == "--min-count") {
      error = take(&v);
      if (error.empty()) {
        char* end = nullptr;
        errno = 0;
        const long n = std::strtol(v.c_str(), &end, 10);
        if (v.empty() || *end != '\0' || errno != 0 || n < ReportOptions::kDefaultMinCount ||
            n > 1000000000) {
          error = "--min-count must be a whole number of at least " +
                  std::to_string(ReportOptions::kDefaultMinCount);
        } else {
          out->min_count = static_cast<int>(n);
        }
      }
    } else if (arg == "--input") {
      error = take(&v);
      if (error.empty()) {
        if (v == "csv") {
          out->input = ImportFormat::kCsv;
        } else if (v == "ndjson") {
          out->input = ImportFormat::kNdjson;
        } else {
          error = "--input must be csv or ndjson";
        }
      }
    } else if (arg == "--delimiter") {
      error = take(&v);
      if (error.empty()) {
        if (v == "," || v == ";") {
          out->delimiter = v[0];
        } else if (v == "tab" || v == "\t") {
          out->delimiter = '\t';
        } else {
          error = "--delimiter must be ',', ';' or tab";
        }
      }
    } else if (arg == "--propose") {
      if (value) error = "--propose takes no value";
      out->propose = true;
    } else if (arg == "--map") {
      error = take(&out->map_file);
      if (error.empty() && out->map_file.empty()) error = "--map needs a FILE";
    } else if (arg == "--skip-rows") {
      error = take(&v);
      if (error.empty()) {
        if (v.size() == 1 && v[0] >= '0' && v[0] - '0' <= ColumnMapping::kMaxExtraHeaderRows) {
          out->skip_rows = v[0] - '0';
        } else {
          error = "--skip-rows must be a whole number from 0 to " +
                  std::to_string(ColumnMapping::kMaxExtraHeaderRows);
        }
      }
    } else if (arg == "--date-format") {
      error = take(&v);
      if (error.empty()) {
        out->date_format = ParseDateFormat(v);
        if (!out->date_format) error = "--date-format must be ymd, dmy, mdy or jalali";
      }
    } else if (arg == "--calendar") {
      error = take(&v);
      if (error.empty()) {
        Result<Calendar> calendar = ParseCalendar(v);
        if (calendar.ok()) {
          out->calendar = *calendar;
        } else {
          error = "--calendar: " + calendar.status().message();
        }
      }
    } else if (arg == "--jobs") {
      error = take(&v);
      if (error.empty()) {
        if (v == "1" || v == "2") {
          out->jobs = v[0] - '0';
        } else {
          error = "--jobs must be 1 or 2";
        }
      }
    } else if (arg.size() > 1 && arg[0] == '-') {
      error = "unknown option " + arg + " (see nazar help score)";
    } else if (out->file.empty()) {
      out->file = arg;
    } else {
      error = "score takes one FILE (got " + out->file + " and " + arg + ")";
    }
    if (!error.empty()) return error;
  }
  if (out->file.empty()) return "score needs a FILE (see nazar help score)";
  if (!out->survey_id.empty() && out->survey_file.empty()) return "--survey-id needs --survey";
  if (!out->map_file.empty() && !out->by.empty()) {
    return "--by cannot be used with --map (the mapping's segment column is the segment)";
  }
  if (out->propose && !out->map_file.empty()) return "--propose cannot be used with --map";
  return "";
}

// Loads the survey to score from a definition file. Returns an exit status.
int LoadSurvey(const ScoreArgs& args, std::optional<Survey>* survey) {
  std::string text;
  errno = 0;
  if (const int error = ReadWhole(args.survey_file, &text); error != 0) {
    return IoError(args.survey_file, error);
  }
  ParsedDefinitions parsed = ParseDefinitions(text);
  if (!parsed.ok()) {
    std::cerr << "nazar: " << args.survey_file << ": "
              << Plural(parsed.errors.size(), "error", "errors") << "\n";
    for (const DefinitionError& error : parsed.errors) std::cerr << error.ToString() << "\n";
    return kExitUsage;
  }
  Result<Survey> picked = PickSurvey(Json(std::move(text)), args.survey_id, args.survey_file);
  if (!picked.ok()) {
    const bool several = picked.status().code() == StatusCode::kInvalidArgument;
    return UsageError(picked.status().message() + (several ? " with --survey-id" : ""));
  }
  *survey = std::move(picked).value();
  return kExitOk;
}

// Loads the column mapping of --map. Returns an exit status.
int LoadMapping(const std::string& path, std::optional<ColumnMapping>* mapping) {
  std::string text;
  errno = 0;
  if (const int error = ReadWhole(path, &text); error != 0) return IoError(path, error);
  JsonParseError parse_error;
  const Json json = ParseJsonStrict(text.data(), text.data() + text.size(), &parse_error);
  if (json.is_discarded()) return UsageError("--map " + path + ": " + parse_error.ToString());
  Result<ColumnMapping> parsed = ColumnMappingFromJson(json);
  if (!parsed.ok()) return UsageError("--map " + path + ": " + parsed.status().message());
  *mapping = std::move(parsed).value();
  return kExitOk;
}

// --propose: the mapping proposal of the file's first bytes, as JSON.
int Propose(const ScoreArgs& args) {
  std::string head;
  errno = 0;
  // Only the head the proposal reads: a 2 GB export (or an endless stdin) is not read to its end.
  const int error = ReadChunks(args.file, [&head](std::string_view chunk) {
    head.append(chunk.substr(0, kProposalHeadBytes - head.size()));
    return head.size() < kProposalHeadBytes;
  });
  if (error != 0) return IoError(args.file, error);
  Result<MappingProposal> proposal = ProposeMapping(head);
  if (!proposal.ok()) return UsageError(args.file + ": " + proposal.status().message());
  std::cout << MappingProposalToJson(*proposal).dump(2, ' ', false, Json::error_handler_t::replace)
            << "\n";
  std::cout.flush();
  return std::cout.good() ? kExitOk : kExitIo;
}

// Feeds `scorer` a regular file of kParallelMinBytes or more in two parts at once: this thread
// reads [0, b), another thread a continuation of [b, end), where b follows the first line end
// after the middle; the continuation's state is then absorbed (ResponseScorer, "One file in two
// parts"). When the core refuses (b fell inside a quoted field, or a cap makes the sum differ
// from one import), this thread reads [b, end) itself: the result is always one import's.
// Returns nothing when the file is not for two parts (stdin, small, UTF-16, a long header; then
// nothing was fed), else 0 or an errno.
std::optional<int> ScoreInTwoParts(const std::string& path, const ScoreOptions& options,
                                   ResponseScorer* scorer) {
  // Only a regular file is opened here: a FIFO opened and closed again would lose its writer.
  struct stat st {};
  if (path == "-" || ::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) ||
      st.st_size < kParallelMinBytes) {
    return std::nullopt;  // the one-part reader reads it, or reports why it cannot
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < kParallelMinBytes) {
    return std::nullopt;
  }
  const int64_t size = st.st_size;
  // The boundary: just past the first line end at or after the middle.
  std::string middle;
  int64_t boundary = -1;
  for (int64_t at = size / 2; boundary < 0 && at < size; at += kChunkBytes) {
    middle.clear();
    if (const int error = ReadRange(fd, at, std::min<int64_t>(size, at + kChunkBytes),
                                    [&middle](std::string_view chunk) { middle.append(chunk); });
        error != 0) {
      return error;
    }
    const size_t nl = middle.find('\n');
    if (nl != std::string::npos) boundary = at + static_cast<int64_t>(nl) + 1;
  }
  if (boundary < 0 || boundary >= size) return std::nullopt;
  // The continuation resolves the header from the file's head: the first 64 KiB, four times more
  // while the header runs past it, up to kHeaderHeadBytes and the boundary.
  std::unique_ptr<ResponseScorer> rest;
  const int64_t most = std::min<int64_t>(boundary, kHeaderHeadBytes);
  for (int64_t length = std::min<int64_t>(most, kChunkBytes);;
       length = std::min(most, length * 4)) {
    std::string head;
    if (const int error =
            ReadRange(fd, 0, length, [&head](std::string_view chunk) { head.append(chunk); });
        error != 0) {
      return error;
    }
    rest = std::make_unique<ResponseScorer>(options);
    if (rest->FeedHeader(head)) break;
    if (length == most) return std::nullopt;  // UTF-16, or a header too long for two parts
  }

  int rest_error = 0;
  Result<std::string> state = Status(StatusCode::kInternal, "not read");
  std::thread second;
  try {
    second = std::thread([&] {
      rest_error =
          ReadRange(fd, boundary, -1, [&rest](std::string_view chunk) { rest->Feed(chunk); });
      if (rest_error == 0) state = rest->ExportState();
    });
  } catch (const std::system_error&) {
    return std::nullopt;  // no thread to be had: one part (nothing was fed yet)
  }
  const int first_error =
      ReadRange(fd, 0, boundary, [scorer](std::string_view chunk) { scorer->Feed(chunk); });
  second.join();
  if (first_error != 0) return first_error;
  if (rest_error != 0) return rest_error;
  const bool merged = state.ok() && scorer->AtRecordBoundary() && scorer->Absorb(*state).ok();
  // NAZAR_TRACE_PARTS=1 says which way the file went (the tests check that both ways are taken).
  if (const char* trace = std::getenv("NAZAR_TRACE_PARTS"); trace != nullptr && *trace == '1') {
    std::cerr << "nazar: two parts split at byte " << boundary << ", "
              << (merged ? "merged" : "not merged, read on in one") << "\n";
  }
  if (merged) return 0;
  // Refused: one import after all, this thread reading on from the boundary.
  return ReadRange(fd, boundary, -1, [scorer](std::string_view chunk) { scorer->Feed(chunk); });
}

int Score(const std::vector<std::string>& argv) {
  ScoreArgs args;
  if (const std::string error = ParseScoreArgs(argv, &args); !error.empty()) {
    return UsageError(error);
  }
  if (args.propose) return Propose(args);
  ScoreOptions options;
  if (!args.map_file.empty()) {
    if (const int status = LoadMapping(args.map_file, &options.import.mapping); status != kExitOk) {
      return status;
    }
  }
  options.import.extra_header_rows = args.skip_rows;
  options.import.date_format = args.date_format;
  options.import.calendar = args.calendar;
  if (!args.survey_file.empty()) {
    if (const int status = LoadSurvey(args, &options.import.survey); status != kExitOk) {
      return status;
    }
  }
  options.import.by = args.by;
  options.import.period = args.period;
  options.import.delimiter = args.delimiter;
  std::optional<ImportFormat> format = args.input;
  if (!format) format = ImportFormatForName(args.file);
  options.import.format = format.value_or(ImportFormat::kCsv);
  options.sniff_format = !format.has_value();
  options.report.min_count = args.min_count;

  ResponseScorer scorer(options);
  errno = 0;
  std::optional<int> two_parts;
  if (args.jobs > 1) two_parts = ScoreInTwoParts(args.file, options, &scorer);
  const int error = two_parts ? *two_parts : ReadChunks(args.file, [&](std::string_view chunk) {
    scorer.Feed(chunk);
    return true;
  });
  if (error != 0) return IoError(args.file, error);
  const ScoreResult result = scorer.Finish();
  if (args.text) {
    std::cout << ScoreResultToText(result);
  } else {
    // Invalid UTF-8 in the input (segment values, quoted cells) is replaced, never fatal.
    std::cout << ScoreResultToJson(result).dump(2, ' ', false, Json::error_handler_t::replace)
              << "\n";
    for (const ImportError& e : result.summary.warnings) {
      std::cerr << "nazar: warning: " << e.ToString() << "\n";
    }
  }
  std::cout.flush();
  if (!std::cout.good()) return kExitIo;
  if (result.RowsRejected()) {
    std::cerr << "nazar: " << result.summary.bad_rows << " of " << result.summary.rows
              << " rows rejected; the report counts only the others\n";
    return kExitRejected;
  }
  return kExitOk;
}

int Help(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::cout << kHelp << kUsage;
    return kExitOk;
  }
  if (args[0] == "score") {
    std::cout << kScoreHelp;
  } else if (args[0] == "validate") {
    std::cout << kValidateHelp;
  } else if (args[0] == "help") {
    std::cout << kUsage;
  } else {
    return UsageError("no command " + args[0] + "\n" + kUsage);
  }
  return kExitOk;
}

int Main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return UsageError(std::string("no command given\n") + kUsage);
  const std::string command = args[0];
  args.erase(args.begin());
  if (command == "--help" || command == "-h") return Help({});
  if (command == "--version") {
    std::cout << "nazar " << NAZAR_VERSION << "\n";
    return kExitOk;
  }
  if (command == "help") return Help(args);
  const bool wants_help = !args.empty() && (args[0] == "--help" || args[0] == "-h");
  if (command == "validate") return wants_help ? Help({"validate"}) : Validate(args);
  if (command == "score") return wants_help ? Help({"score"}) : Score(args);
  return UsageError("unknown command " + command + "\n" + kUsage);
}

}  // namespace
}  // namespace nazar

int main(int argc, char** argv) { return nazar::Main(argc, argv); }
