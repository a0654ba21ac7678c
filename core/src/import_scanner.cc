#include "import_scanner.h"

#include <utility>

#include "import_csv.h"
#include "nazar/import.h"

namespace nazar::import_internal {

void CsvScanner::SetDelimiter(char delimiter) {
  special_[static_cast<unsigned char>(delim_)] = false;
  delim_ = delimiter;
  special_[static_cast<unsigned char>(delim_)] = true;
  special_[static_cast<unsigned char>('\n')] = true;
  special_[static_cast<unsigned char>('\r')] = true;
}

void CsvScanner::Feed(const char* p, const char* end) {
  std::string owned;  // replayed lines followed by the rest of the input
  while (p < end) {
    const size_t used = Scan(p, end);
    if (replay_.empty()) break;
    std::string next = std::move(replay_);
    replay_.clear();
    next.append(p + used, end);
    owned = std::move(next);
    p = owned.data();
    end = p + owned.size();
  }
}

void CsvScanner::Resume() {
  capturing_ = false;
  line_ = resume_line_;
  skip_lf_ = resume_skip_lf_;
  state_ = State::kFieldStart;
  in_record_ = false;
  quoted_cr_ = false;
  reader_->Resumed(resume_line_);
}

bool CsvScanner::EndRecord(char c, const char* cap_from, const char* p) {
  if (capturing_ && reader_->Oversized()) reader_->GiveUp();  // as GiveUp() would have
  reader_->EndField(field_quoted_);
  const bool broken = reader_->EndRecord();
  in_record_ = false;
  state_ = State::kFieldStart;
  if (capturing_) {
    if (broken) {
      replay_ = std::move(capture_);
      replay_.append(cap_from, p);
      capture_.clear();
      Resume();
      // An empty replay (the break was the last line) has nothing to read again.
      return !replay_.empty();
    }
    capturing_ = false;
    capture_.clear();
  }
  ++line_;
  skip_lf_ = c == '\r';
  return false;
}

template <class Stop>
const char* CsvScanner::AppendRun(const char* p, const char* end, Stop stop) {
  const char* q = p;
  while (q < end && !stop(*q)) ++q;
  if (q > p) reader_->Append(p, static_cast<size_t>(q - p));
  return q;
}

bool CsvScanner::GiveUp(const char* cap_from, const char* p) {
  if (!reader_->Oversized()) return false;
  // A record this large past a line end inside quotes is taken for a stray quote now, rather
  // than holding the rest of the file. Where a run of bytes ends depends on the chunks, but
  // what is read again (the bytes after the record's first line) does not.
  reader_->GiveUp();
  reader_->EndField(field_quoted_);
  reader_->EndRecord();
  replay_ = std::move(capture_);
  replay_.append(cap_from, p);
  capture_.clear();
  Resume();
  return true;
}

void CsvScanner::NextField() {
  reader_->EndField(field_quoted_);
  field_quoted_ = false;
  state_ = State::kFieldStart;
}

size_t CsvScanner::Scan(const char* begin, const char* end) {
  const char* p = begin;
  const char* cap_from = capturing_ ? begin : nullptr;
  while (p < end) {
    char c = *p;
    if (skip_lf_) {
      skip_lf_ = false;
      if (c == '\n') {
        ++p;
        continue;
      }
    }
    if (!in_record_) {
      in_record_ = true;
      field_quoted_ = false;
      reader_->StartRecord(line_);
    }
    switch (state_) {
      case State::kFieldStart:
        if (c == '"') {
          state_ = State::kQuoted;
          field_quoted_ = true;
          quoted_cr_ = false;
          ++p;
          break;
        }
        state_ = State::kUnquoted;
        [[fallthrough]];
      case State::kUnquoted: {
        p = AppendRun(p, end, [this](char b) { return special_[static_cast<unsigned char>(b)]; });
        if (capturing_ && GiveUp(cap_from, p)) return static_cast<size_t>(p - begin);
        if (p == end) break;
        c = *p;
        ++p;
        if (c == delim_) {
          NextField();
        } else if (EndRecord(c, cap_from, p)) {  // '\n' or '\r'
          return static_cast<size_t>(p - begin);
        }
        break;
      }
      case State::kQuoted: {
        if (quoted_cr_) {
          quoted_cr_ = false;
          if (c == '\n') {  // the LF of a CRLF inside quotes: the line was already counted
            reader_->Append(p, 1);
            ++p;
            break;
          }
        }
        p = AppendRun(p, end, [](char b) { return b == '"' || b == '\n' || b == '\r'; });
        if (capturing_ && GiveUp(cap_from, p)) return static_cast<size_t>(p - begin);
        if (p == end) break;
        c = *p;
        ++p;
        if (c == '"') {
          state_ = State::kQuoteInQuoted;
        } else {
          reader_->Append(p - 1, 1);
          ++line_;
          quoted_cr_ = c == '\r';
          if (!capturing_ && reader_->header_done()) {
            // The record runs over a line end: keep what follows, in case a stray quote
            // opened this field and the lines must be read again.
            capturing_ = true;
            cap_from = p;
            resume_line_ = line_;
            resume_skip_lf_ = quoted_cr_;
          }
        }
        break;
      }
      case State::kQuoteInQuoted:
        if (c == '"') {  // a doubled quote is one literal quote
          reader_->Append(p, 1);
          state_ = State::kQuoted;
          ++p;
        } else {
          state_ = State::kAfterQuoted;
        }
        break;
      case State::kAfterQuoted:
        ++p;
        if (c == delim_) {
          NextField();
        } else if (c == '\n' || c == '\r') {
          if (EndRecord(c, cap_from, p)) return static_cast<size_t>(p - begin);
        } else {
          reader_->TextAfterQuote();
        }
        break;
    }
  }
  if (capturing_) capture_.append(cap_from, end);
  return static_cast<size_t>(end - begin);
}

void CsvScanner::Finish() {
  while (in_record_) {
    const bool unterminated = state_ == State::kQuoted;
    if (capturing_ && reader_->Oversized()) reader_->GiveUp();
    if (unterminated) reader_->Unterminated();
    reader_->EndField(field_quoted_);
    const bool broken = reader_->EndRecord();
    in_record_ = false;
    state_ = State::kFieldStart;
    if (!(unterminated && broken && capturing_)) break;
    std::string replay = std::move(capture_);
    capture_.clear();
    Resume();
    Feed(replay.data(), replay.data() + replay.size());
  }
}

}  // namespace nazar::import_internal

