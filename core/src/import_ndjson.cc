#include "import_ndjson.h"

#include <cstdio>
#include <cstring>

#include "nazar/i18n.h"
#include "nazar/json.h"
#include "text_util.h"

namespace nazar::import_internal {
namespace {

// SAX handler for one NDJSON line: dispatches the top-level members to the importer.
class JsonLineHandler {
 public:
  explicit JsonLineHandler(RecordBuilder* im) : im_(im) {}

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
      im_->Fail("key " + text::Quote(k) + " appears twice");
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
                                  im_->questions()[role_->question].option_list);
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
      const QuestionInfo* info =
          role_->question >= 0 ? &im_->questions()[role_->question] : nullptr;
      if (array && info != nullptr && info->q->type == QuestionType::kChoice && !role_->by &&
          !role_->date) {
        collecting_ = true;
        im_->BeginChoices(role_->question);
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
      im_->EndChoices(role_->question, key_);
      return !im_->failed();
    }
    return true;
  }

  RecordBuilder* im_;
  int depth_ = 0;
  bool saw_object_ = false;
  bool collecting_ = false;
  std::string key_;
  const ColumnRole* role_ = nullptr;
  char num_[32] = {};
};

}  // namespace

void NdjsonReader::Feed(std::string_view chunk) {
  const char* p = chunk.data();
  const char* end = p + chunk.size();
  while (p < end) {
    if (!in_line_) {
      in_line_ = true;
      record_line_ = line_;
      line_buf_.clear();
      line_len_ = 0;
    }
    const void* nl = std::memchr(p, '\n', static_cast<size_t>(end - p));
    const char* stop = nl != nullptr ? static_cast<const char*>(nl) : end;
    const size_t n = static_cast<size_t>(stop - p);
    if (line_len_ + n <= ImportOptions::kMaxLineBytes) {
      line_buf_.append(p, n);
    } else if (line_len_ <= ImportOptions::kMaxLineBytes) {
      line_buf_.clear();
      line_buf_.shrink_to_fit();
    }
    line_len_ += n;
    p = stop;
    if (nl != nullptr) {
      ++p;
      EndLine();
      in_line_ = false;
      ++line_;
    }
  }
}

void NdjsonReader::EndLine() {
  if (line_len_ > ImportOptions::kMaxLineBytes) {
    ++builder_->summary().rows;
    builder_->StartRecord(record_line_);
    builder_->Fail("line longer than " + std::to_string(ImportOptions::kMaxLineBytes >> 20) +
                   " MiB");
    builder_->EndRecord();
    return;
  }
  const std::string_view body = text::Trim(line_buf_);
  if (body.empty()) return;  // blank lines are not records
  ++builder_->summary().rows;
  builder_->StartRecord(record_line_);
  JsonLineHandler handler(builder_);
  const bool parsed = Json::sax_parse(body.data(), body.data() + body.size(), &handler,
                                      Json::input_format_t::json, true);
  if (parsed && !handler.ok() && !builder_->failed()) builder_->Fail("not a JSON object");
  if (!parsed && !builder_->failed()) builder_->Fail("invalid JSON");
  builder_->EndRecord();
}

void NdjsonReader::Finish(bool whole_file) {
  if (in_line_) EndLine();
  in_line_ = false;
  if (whole_file) builder_->FinishNdjson();
}

}  // namespace nazar::import_internal
