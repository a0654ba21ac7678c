// GET /v1/stream through the real server over HTTP: server-sent events read from a raw socket
// (the chunked body taken apart by hand), posts through the real ingest route. Waits poll with
// deadlines; the only fixed waits are the ones that prove nothing arrives.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <optional>
#include <thread>

#include "collector/change_feed.h"
#include "collector/elastic_pool.h"
#include "collector/server.h"
#include "memory_store.h"
#include "nazar/date.h"
#include "nazar/json.h"
#include "test_pg.h"
#include "test_surveys.h"

namespace nazar::collector {
namespace {

using Clock = std::chrono::steady_clock;
using testing::BatchId;
using testing::ShopTally;

const int64_t kToday = DaysFromCivil(2026, 11, 30);
const std::string kTodayText = FormatDay(kToday);

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct SseEvent {
  std::string id, event, data;
};

// One GET /v1/stream connection over a plain socket: the answer's head, then its chunked body
// taken apart into events, comments and the retry field as they arrive.
class EventReader {
 public:
  ~EventReader() { Close(); }

  // Sends the request and reads the head (status, headers) within 5 s.
  bool Open(int port, const std::string& target, const std::string& token) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return false;
    std::string request =
        "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n";
    // As browsers ask; an error answer (JSON) would then come compressed.
    if (compressible) request += "Accept-Encoding: gzip, deflate, br\r\n";
    if (!token.empty()) request += "Authorization: Bearer " + token + "\r\n";
    request += "\r\n";
    if (send(fd_, request.data(), request.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(request.size())) {
      return false;
    }
    const auto deadline = Clock::now() + std::chrono::seconds(5);
    size_t end = std::string::npos;
    while ((end = raw_.find("\r\n\r\n")) == std::string::npos) {
      if (!Receive(deadline)) return false;
    }
    const std::string head = raw_.substr(0, end);
    raw_.erase(0, end + 4);
    status = std::stoi(head.substr(9, 3));
    size_t line = head.find("\r\n");
    while (line != std::string::npos) {
      const size_t next = head.find("\r\n", line + 2);
      const std::string h =
          head.substr(line + 2, next == std::string::npos ? std::string::npos : next - line - 2);
      const size_t colon = h.find(':');
      if (colon != std::string::npos) {
        std::string name = h.substr(0, colon);
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        headers[name] = h.substr(h.find_first_not_of(' ', colon + 1));
      }
      line = next;
    }
    chunked_ = headers["transfer-encoding"] == "chunked";
    Dechunk();
    if (!chunked_) {  // an error answer: its whole body
      const size_t length = std::stoul(headers["content-length"]);
      while (raw_.size() < length && Receive(deadline)) {
      }
      body = raw_;
    }
    return true;
  }

  // The next event within `seconds`; nullopt when none came (or the stream ended).
  std::optional<SseEvent> Next(double seconds) {
    const auto deadline =
        Clock::now() + std::chrono::microseconds(static_cast<int64_t>(seconds * 1e6));
    for (;;) {
      if (std::optional<SseEvent> e = Parse()) return e;
      if (ended || !Receive(deadline)) return std::nullopt;
    }
  }

  // Waits up to `seconds` for the stream to end (the last chunk, or the connection closed).
  bool Ends(double seconds) {
    const auto deadline =
        Clock::now() + std::chrono::microseconds(static_cast<int64_t>(seconds * 1e6));
    while (!ended) {
      Parse();
      if (!ended && !Receive(deadline)) return ended;
    }
    return true;
  }

  void Close() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

  bool compressible = false;  // send Accept-Encoding
  int status = 0;
  std::map<std::string, std::string> headers;  // names lowercased
  std::string body;                            // of an answer that is not a stream
  std::string retry;                           // the last `retry:` field
  int comments = 0;                            // comment-only blocks (heartbeats)
  bool ended = false;

 private:
  // Reads what has arrived by `deadline` and takes chunks apart. False on timeout or close.
  bool Receive(Clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char buf[65536];
    const ssize_t n = recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      ended = true;
      return false;
    }
    raw_.append(buf, static_cast<size_t>(n));
    Dechunk();
    return true;
  }

  // Moves the complete chunks of raw_ into text_.
  void Dechunk() {
    while (chunked_) {
      const size_t eol = raw_.find("\r\n");
      if (eol == std::string::npos) break;
      const size_t size = std::stoul(raw_.substr(0, eol), nullptr, 16);
      if (raw_.size() < eol + 2 + size + 2) break;
      text_ += raw_.substr(eol + 2, size);
      raw_.erase(0, eol + 2 + size + 2);
      if (size == 0) ended = true;
    }
  }

  // The next complete event of the text read so far; comments and retry are noted on the way.
  std::optional<SseEvent> Parse() {
    for (;;) {
      const size_t end = text_.find("\n\n");
      if (end == std::string::npos) return std::nullopt;
      const std::string block = text_.substr(0, end + 1);
      text_.erase(0, end + 2);
      SseEvent e;
      bool any = false, comment = false;
      size_t start = 0;
      while (start < block.size()) {
        const size_t nl = block.find('\n', start);
        const std::string line = block.substr(start, nl - start);
        start = nl + 1;
        if (!line.empty() && line[0] == ':') {
          comment = true;
          continue;
        }
        const size_t colon = line.find(": ");
        const std::string field = line.substr(0, colon);
        const std::string value = colon == std::string::npos ? "" : line.substr(colon + 2);
        if (field == "retry") retry = value;
        if (field == "id") e.id = value;
        if (field == "event") e.event = value;
        if (field == "data") e.data = value;
        any = any || field == "data";
      }
      if (comment && !any) ++comments;
      if (any) return e;
    }
  }

  int fd_ = -1;
  bool chunked_ = false;
  std::string raw_;   // bytes not yet taken apart into chunks
  std::string text_;  // the body so far, without the chunk framing
};

class StreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("nazar-stream-test-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_ / "surveys");
    std::ofstream(dir_ / "surveys/shop.json") << testing::kShopSurvey;
    std::ofstream(dir_ / "read.token") << "reader-secret\n";
    options_.surveys = (dir_ / "surveys").string();
    options_.listen_host = "127.0.0.1";
    options_.listen_port = 0;
    options_.rate_limit = 0;
    options_.read_token_file = (dir_ / "read.token").string();
    options_.threads = 8;
  }

  void TearDown() override {
    for (auto& s : servers_) Stop(*s);
    std::filesystem::remove_all(dir_);
  }

  struct Running {
    std::unique_ptr<Server> server;
    std::thread serving;
    int port = 0;
  };

  // A server over this test's store (the memory store, or db_url_); the first is servers_[0].
  Running& Start() {
    ServerEnv env;
    env.open_store = db_url_.empty() ? testing::MemoryStoreFactory(db_)
                                     : StoreFactory([url = db_url_] { return OpenStore(url); });
    env.today = [this] { return today_.load(); };
    env.stream_heartbeat_seconds = heartbeat_seconds_;
    env.stream_check_seconds = check_seconds_;
    env.log = [](const std::string&) {};
    servers_.push_back(std::make_unique<Running>());
    Running& r = *servers_.back();
    Result<std::unique_ptr<Server>> server = Server::Create(options_, env);
    EXPECT_TRUE(server.ok()) << server.status().message();
    if (!server.ok()) return r;
    r.server = std::move(server).value();
    Result<int> port = r.server->Bind();
    EXPECT_TRUE(port.ok()) << port.status().message();
    r.port = port.ok() ? *port : 0;
    r.serving = std::thread([&r] { r.server->Serve(); });
    const auto deadline = Clock::now() + std::chrono::seconds(5);
    while (!r.server->Running() && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    EXPECT_TRUE(r.server->Running());
    return r;
  }

  static void Stop(Running& r) {
    if (!r.server) return;
    r.server->Shutdown();
    r.serving.join();
    r.server.reset();
  }

  int Port(size_t i = 0) { return servers_.at(i)->port; }

  // Posts `n` one-answer tallies (NPS 9) of `day` to server `i`; each must be stored (200).
  void PostAnswers(int n, size_t i = 0, int64_t day = kToday, const std::string& locale = "en") {
    for (int k = 0; k < n; ++k) {
      httplib::Client c("127.0.0.1", Port(i));
      auto r =
          c.Post("/v1/aggregates",
                 ShopTally(BatchId(next_batch_++), FormatDay(day), 9, locale).dump(), "text/plain");
      ASSERT_TRUE(r);
      ASSERT_EQ(r->status, 200) << r->body;
    }
  }

  httplib::Result GetReport(const std::string& query, size_t i = 0) {
    httplib::Client c("127.0.0.1", Port(i));
    return c.Get(("/v1/report?" + query).c_str(), {{"Authorization", "Bearer reader-secret"}});
  }

  // Opens a stream of `query` on server `i`.
  std::unique_ptr<EventReader> Stream(const std::string& query, size_t i = 0,
                                      const std::string& token = "reader-secret",
                                      bool compressible = false) {
    auto reader = std::make_unique<EventReader>();
    reader->compressible = compressible;
    EXPECT_TRUE(reader->Open(Port(i), "/v1/stream?" + query, token));
    return reader;
  }

  std::filesystem::path dir_;
  Options options_;
  std::string db_url_;
  double heartbeat_seconds_ = 15, check_seconds_ = 5;
  std::atomic<int64_t> today_{kToday};  // ServerEnv::today: a test may let a day pass
  std::shared_ptr<testing::MemoryDatabase> db_ = std::make_shared<testing::MemoryDatabase>();
  std::vector<std::unique_ptr<Running>> servers_;
  unsigned long long next_batch_ = 1;
};

// Today only, by day and locale: the live view of a dashboard.
const std::string kLiveQuery = "survey=shop&from=" + kTodayText + "&to=" + kTodayText;

TEST_F(StreamTest, FirstEventIsTheReportOfTheSameQuery) {
  Start();
  PostAnswers(6);
  const std::string query = "survey=shop&from=" + FormatDay(kToday - 6) + "&to=" + kTodayText +
                            "&by=day&segment=locale&compare=" + FormatDay(kToday - 13) + ".." +
                            FormatDay(kToday - 7);
  std::unique_ptr<EventReader> s = Stream(query, 0, "reader-secret", true);
  ASSERT_EQ(s->status, 200) << s->body;
  EXPECT_EQ(s->headers["content-type"], "text/event-stream");
  EXPECT_EQ(s->headers["cache-control"], "no-store");
  EXPECT_EQ(s->headers["x-accel-buffering"], "no");
  EXPECT_EQ(s->headers.count("content-encoding"), 0u);  // never buffered by a compressor
  std::optional<SseEvent> first = s->Next(2);
  ASSERT_TRUE(first);
  EXPECT_EQ(s->retry, "2000");
  EXPECT_EQ(first->event, "report");
  EXPECT_EQ(first->id, "6");  // six completions posted
  auto report = GetReport(query);
  ASSERT_EQ(report->status, 200);
  EXPECT_EQ(Json::parse(first->data), Json::parse(report->body));
  const Json sent = Json::parse(first->data);
  EXPECT_EQ(sent["completions"], 6);
  EXPECT_EQ(sent["questions"]["nps"]["promoters"], 6);
  EXPECT_EQ(sent["to"], kTodayText);
}

// The step is the minimum count (5): four new answers send nothing, the fifth an event within
// 2 s, and the ids are the report's completions (0 while the overall cell is suppressed).
TEST_F(StreamTest, EventsStepByTheMinimumCount) {
  Start();
  PostAnswers(3);  // below the minimum: the overall cell is suppressed
  std::unique_ptr<EventReader> s = Stream(kLiveQuery);
  std::optional<SseEvent> e = s->Next(2);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->id, "0");
  EXPECT_EQ(Json::parse(e->data)["suppressed"], Json::array({"(overall)"}));
  PostAnswers(4);  // 7 stored, 4 since the event
  EXPECT_FALSE(s->Next(2.5)) << "an event after 4 answers";
  auto start = Clock::now();
  PostAnswers(1);  // 5 since the event
  e = s->Next(2);
  ASSERT_TRUE(e) << "no event within 2 s of the fifth answer";
  EXPECT_LT(SecondsSince(start), 2.0);
  EXPECT_EQ(e->event, "report");
  EXPECT_EQ(e->id, "8");
  EXPECT_EQ(Json::parse(e->data)["completions"], 8);
  PostAnswers(4);
  EXPECT_FALSE(s->Next(2.5)) << "an event after 4 more answers";
  start = Clock::now();
  PostAnswers(1);
  e = s->Next(2);
  ASSERT_TRUE(e);
  EXPECT_LT(SecondsSince(start), 2.0);
  EXPECT_EQ(e->id, "13");
  EXPECT_EQ(Json::parse(e->data), Json::parse(GetReport(kLiveQuery)->body));
}

// The step counts the report's own completions: answers of other days (late flushes) wake the
// stream but do not make up a step.
TEST_F(StreamTest, AnswersOutsideTheRangeDoNotMakeAStep) {
  Start();
  std::unique_ptr<EventReader> s = Stream(kLiveQuery);
  ASSERT_TRUE(s->Next(2));
  PostAnswers(4);
  PostAnswers(3, 0, kToday - 1);  // 7 answers of the survey, 4 of them in the range
  EXPECT_FALSE(s->Next(2.5)) << "an event after 4 answers in the range";
  PostAnswers(1);
  std::optional<SseEvent> e = s->Next(2);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->id, "5");
}

// Every shown cell moves by a step or not at all: five answers, four in English and one in
// Persian, would move the fa segment by one answer (and show it), so the stream waits until fa
// has moved by five too, and en by five or not at all.
TEST_F(StreamTest, ASegmentThatMovedByLessThanAStepHoldsTheEvent) {
  Start();
  PostAnswers(10, 0, kToday, "en");
  PostAnswers(10, 0, kToday, "fa");
  std::unique_ptr<EventReader> s = Stream(kLiveQuery + "&segment=locale");
  ASSERT_TRUE(s->Next(2));
  PostAnswers(4, 0, kToday, "en");
  PostAnswers(1, 0, kToday, "fa");
  EXPECT_FALSE(s->Next(2.5)) << "fa moved by one answer";
  PostAnswers(4, 0, kToday, "fa");
  EXPECT_FALSE(s->Next(2.5)) << "en moved by four answers";
  PostAnswers(1, 0, kToday, "en");
  std::optional<SseEvent> e = s->Next(2);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->id, "30");
  const Json report = Json::parse(e->data);
  ASSERT_EQ(report["segments"].size(), 2u) << e->data;
  EXPECT_EQ(report["segments"][0]["segment"], "en");
  EXPECT_EQ(report["segments"][0]["completions"], 15);
  EXPECT_EQ(report["segments"][1]["segment"], "fa");
  EXPECT_EQ(report["segments"][1]["completions"], 15);
}

// The same for days: a late answer of yesterday in a view by day waits for a step of its own.
TEST_F(StreamTest, ADayThatMovedByLessThanAStepHoldsTheEvent) {
  Start();
  PostAnswers(5, 0, kToday - 1);
  PostAnswers(5, 0, kToday);
  const std::string query =
      "survey=shop&from=" + FormatDay(kToday - 1) + "&to=" + kTodayText + "&by=day";
  std::unique_ptr<EventReader> s = Stream(query);
  ASSERT_TRUE(s->Next(2));
  PostAnswers(4, 0, kToday);
  PostAnswers(1, 0, kToday - 1);
  EXPECT_FALSE(s->Next(2.5)) << "yesterday moved by one answer";
  PostAnswers(1, 0, kToday);
  EXPECT_FALSE(s->Next(2.5)) << "yesterday still moved by one answer";
  PostAnswers(4, 0, kToday - 1);
  std::optional<SseEvent> e = s->Next(2);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->id, "20");
}

// A new UTC day ends a live stream (the browser comes back after `retry` and its named range is
// read again), so an open view never freezes on yesterday's range.
TEST_F(StreamTest, ANewDayEndsALiveStream) {
  heartbeat_seconds_ = 0.5;  // the stream looks at the day at least this often
  Start();
  std::unique_ptr<EventReader> s = Stream("survey=shop&preset=last_30_days");
  ASSERT_TRUE(s->Next(2));
  EXPECT_FALSE(s->Ends(1.5)) << "a stream ends only when the day changes";
  ++today_;
  EXPECT_TRUE(s->Ends(3)) << "the stream goes on into a new day";
}

// A --min-count above 5 is the step.
TEST_F(StreamTest, StepIsAHigherMinimumCount) {
  options_.min_count = 7;
  Start();
  std::unique_ptr<EventReader> s = Stream(kLiveQuery);
  ASSERT_TRUE(s->Next(2));
  PostAnswers(6);
  EXPECT_FALSE(s->Next(2.5)) << "an event after 6 answers with --min-count 7";
  PostAnswers(1);
  std::optional<SseEvent> e = s->Next(2);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->id, "7");
}

// A range that ended before today cannot move: its stream keeps quiet after the first event.
TEST_F(StreamTest, PastRangeSendsOnlyTheFirstEvent) {
  Start();
  const std::string query = "survey=shop&to=" + FormatDay(kToday - 1);
  std::unique_ptr<EventReader> s = Stream(query);
  ASSERT_TRUE(s->Next(2));
  PostAnswers(5, 0, kToday - 1);  // late answers of yesterday change the report, not the stream
  EXPECT_FALSE(s->Next(2.5));
  EXPECT_EQ(Json::parse(GetReport(query)->body)["completions"], 5);
}

// Every bad parameter is answered before any stream starts, as GET /v1/report answers it.
TEST_F(StreamTest, BadParametersAreAnsweredBeforeStreaming) {
  Start();
  const std::vector<std::pair<std::string, int>> cases = {
      {"from=" + kTodayText, 400},
      {"survey=shop&from=2026-13-01", 400},
      {"survey=shop&from=" + kTodayText + "&to=" + FormatDay(kToday - 1), 400},
      {"survey=shop&to=" + FormatDay(kToday + 1), 400},
      {"survey=shop&by=year", 400},
      {"survey=shop&calendar=mayan", 400},
      {"survey=shop&segment=site", 400},
      {"survey=shop&compare=yesterday", 400},
      {"survey=shop&min_count=x", 400},
      // Refused by the report itself, not by the parameters' parsing: still the report's 400.
      {"survey=shop&segment=locale&compare=locale:fa..locale:zz", 400},
      {"survey=nope", 404},
  };
  for (const auto& [query, status] : cases) {
    std::unique_ptr<EventReader> s = Stream(query);
    EXPECT_EQ(s->status, status) << query;
    EXPECT_EQ(s->headers["content-type"], "application/json") << query;
    auto report = GetReport(query);
    EXPECT_EQ(Json::parse(s->body), Json::parse(report->body)) << query;
    EXPECT_EQ(Json::parse(s->body)["ok"], false);
  }
  std::unique_ptr<EventReader> s = Stream(kLiveQuery, 0, "");
  EXPECT_EQ(s->status, 401);
  s = Stream(kLiveQuery, 0, "wrong");
  EXPECT_EQ(s->status, 401);
}

TEST_F(StreamTest, StreamsBeyondTheCapAre503) {
  options_.max_streams = 2;
  Start();
  std::unique_ptr<EventReader> a = Stream(kLiveQuery), b = Stream(kLiveQuery);
  ASSERT_EQ(a->status, 200);
  ASSERT_EQ(b->status, 200);
  httplib::Client local("127.0.0.1", Port());
  EXPECT_NE(local.Get("/metrics")->body.find("\nnazar_streams_open 2\n"), std::string::npos);
  std::unique_ptr<EventReader> c = Stream(kLiveQuery);
  EXPECT_EQ(c->status, 503);
  EXPECT_EQ(c->headers["retry-after"], "5");
  EXPECT_NE(c->body.find("--max-streams 2"), std::string::npos) << c->body;
  // A reader that leaves frees its place at once (the stream polls its connection).
  a->Close();
  const auto deadline = Clock::now() + std::chrono::seconds(2);
  int status = 0;
  while (status != 200 && Clock::now() < deadline) {
    c = Stream(kLiveQuery);
    status = c->status;
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(status, 200) << "the closed stream's place was not freed within 2 s";
}

// With every stream open that --max-streams allows, each on a thread beside the --threads
// workers, ingest and reports still answer at once (2 workers here, 6 streams).
TEST_F(StreamTest, IngestAnswersWhileMaxStreamsAreOpen) {
  options_.threads = 2;
  options_.max_streams = 6;
  Start();
  std::vector<std::unique_ptr<EventReader>> streams;
  for (int i = 0; i < 6; ++i) {
    streams.push_back(Stream(kLiveQuery));
    ASSERT_EQ(streams.back()->status, 200);
    ASSERT_TRUE(streams.back()->Next(2));
  }
  const auto start = Clock::now();
  std::vector<std::future<int>> posts;
  for (int i = 0; i < 8; ++i) {
    posts.push_back(std::async(std::launch::async, [this, i] {
      httplib::Client c("127.0.0.1", Port());
      c.set_read_timeout(3, 0);
      auto r = c.Post("/v1/aggregates", ShopTally(BatchId(1000 + i), kTodayText, 9).dump(),
                      "text/plain");
      return r ? r->status : -1;
    }));
  }
  for (auto& p : posts) EXPECT_EQ(p.get(), 200);
  EXPECT_LT(SecondsSince(start), 2.0);
  auto report = GetReport(kLiveQuery);
  ASSERT_TRUE(report);
  EXPECT_EQ(Json::parse(report->body)["completions"], 8);
  // Each stream stepped once 5 of the 8 answers were in (the answers arrive in several
  // commits, so the step may see 5 to 8 of them).
  for (auto& s : streams) {
    std::optional<SseEvent> e = s->Next(2);
    ASSERT_TRUE(e);
    EXPECT_GE(std::stoi(e->id), 5);
    EXPECT_LE(std::stoi(e->id), 8);
    EXPECT_EQ(Json::parse(e->data)["completions"], std::stoi(e->id));
  }
}

TEST_F(StreamTest, ShutdownEndsOpenStreamsPromptly) {
  Running& r = Start();
  std::vector<std::unique_ptr<EventReader>> streams;
  for (int i = 0; i < 4; ++i) {
    streams.push_back(Stream(kLiveQuery));
    ASSERT_TRUE(streams.back()->Next(2));
  }
  const auto start = Clock::now();
  Stop(r);
  EXPECT_LT(SecondsSince(start), 1.0);
  for (auto& s : streams) EXPECT_TRUE(s->Ends(0.5));
}

TEST_F(StreamTest, HeartbeatComments) {
  heartbeat_seconds_ = 0.2;
  Start();
  std::unique_ptr<EventReader> s = Stream(kLiveQuery);
  ASSERT_TRUE(s->Next(2));
  EXPECT_FALSE(s->Next(1.0));  // comments only
  EXPECT_GE(s->comments, 3);
  EXPECT_LE(s->comments, 6);
}

// A read token rotated on SIGHUP (Reload) ends the streams opened with the old one.
TEST_F(StreamTest, RotatedTokenRevokesTheStream) {
  check_seconds_ = 0.1;
  Running& r = Start();
  std::unique_ptr<EventReader> s = Stream(kLiveQuery);
  ASSERT_TRUE(s->Next(2));
  EXPECT_FALSE(s->Next(0.5));  // still valid: nothing
  std::ofstream(dir_ / "read.token") << "rotated-secret\n";
  ASSERT_TRUE(r.server->Reload().ok());
  std::optional<SseEvent> e = s->Next(2);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->event, "revoked");
  EXPECT_TRUE(s->Ends(1));
}

// Two collectors on one PostgreSQL database: answers posted to one move the other's stream.
TEST_F(StreamTest, PostgresAnotherProcessesPostsReachTheStream) {
  std::string error;
  db_url_ = pgtest::PostgresTestDb(pgtest::TestSchemaName("stream_"), &error);
  ASSERT_FALSE(db_url_.empty()) << error;
  options_.db = db_url_;
  Start();
  Start();
  std::unique_ptr<EventReader> s = Stream(kLiveQuery, 1);
  std::optional<SseEvent> e = s->Next(2);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->id, "0");
  PostAnswers(4, 0);
  EXPECT_FALSE(s->Next(2.5));
  auto start = Clock::now();
  PostAnswers(1, 0);
  e = s->Next(2);
  ASSERT_TRUE(e) << "no event within 2 s of the fifth answer posted to the other collector";
  EXPECT_LT(SecondsSince(start), 2.0);
  EXPECT_EQ(e->id, "5");
  EXPECT_EQ(Json::parse(e->data), Json::parse(GetReport(kLiveQuery, 1)->body));
  // Its own posts move it too (reported by its writer, not counted again from the feed).
  start = Clock::now();
  PostAnswers(5, 1);
  e = s->Next(2);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->id, "10");
}

// Every group commit notifies nazar_totals with each survey's new completions, once, from the
// writer's own backend (Store::NotifierId); a ChangeFeed passes on only other senders'.
TEST(ChangeFeedTest, PostgresCommitsNotifyAndTheFeedSkipsItsOwn) {
  std::string error;
  const std::string url = pgtest::PostgresTestDb("stream_feed", &error);
  ASSERT_FALSE(url.empty()) << error;
  Result<std::unique_ptr<Store>> store = OpenStore(url);
  ASSERT_TRUE(store.ok()) << store.status().message();
  ASSERT_TRUE((*store)->Migrate().ok());
  std::mutex mu;
  std::vector<std::pair<std::string, int64_t>> got;
  std::atomic<int> resyncs{0};
  std::atomic<int> own{-1};
  ChangeFeedHandlers handlers;
  handlers.changed = [&](const std::string& survey, int64_t n) {
    // The channel is the database's: tests running beside this one notify on it too.
    if (survey.rfind("feed-", 0) != 0 && survey != "probe") return;
    std::lock_guard<std::mutex> lock(mu);
    got.emplace_back(survey, n);
  };
  handlers.resynced = [&] { ++resyncs; };
  handlers.own_sender = [&] { return own.load(); };
  handlers.log = [](const std::string&) {};
  ChangeFeed feed(url, handlers);
  // The feed listens once a notification sent now arrives.
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  for (;;) {
    ASSERT_EQ(pgtest::PostgresRun(url, "NOTIFY nazar_totals, 'probe:1'"), "");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::lock_guard<std::mutex> lock(mu);
    if (!got.empty()) break;
    ASSERT_LT(Clock::now(), deadline) << "the feed never listened";
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    got.clear();
  }
  // A commit of 2 + 3 completions of shop and 4 of other, and a duplicate that adds nothing.
  auto item = [](const std::string& batch, const std::string& survey, int completions) {
    Ingest i;
    i.batch = batch;
    i.day = kToday;
    i.key = {"shop.example", survey, "v1", kToday, "en"};
    i.counters = {{"completions", completions}, {"displays", completions}};
    return i;
  };
  ASSERT_TRUE((*store)
                  ->Commit({item(BatchId(1), "feed-shop", 2), item(BatchId(2), "feed-shop", 3),
                            item(BatchId(3), "feed-other", 4)})
                  .ok());
  ASSERT_TRUE((*store)->Commit({item(BatchId(1), "feed-shop", 2)}).ok());
  auto await = [&](size_t n) {
    const auto until = Clock::now() + std::chrono::seconds(2);
    for (;;) {
      {
        std::lock_guard<std::mutex> lock(mu);
        if (got.size() >= n || Clock::now() > until) return got;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  };
  auto seen = await(2);
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen,
            (std::vector<std::pair<std::string, int64_t>>{{"feed-other", 4}, {"feed-shop", 5}}));
  // The same commits from the feed's own sender are skipped.
  own = (*store)->NotifierId();
  EXPECT_GT(own.load(), 0);
  {
    std::lock_guard<std::mutex> lock(mu);
    got.clear();
  }
  ASSERT_TRUE((*store)->Commit({item(BatchId(4), "feed-shop", 1)}).ok());
  ASSERT_EQ(pgtest::PostgresRun(url, "NOTIFY nazar_totals, 'feed-shop:6'"), "");
  seen = await(1);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // would a second one come?
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(got, (std::vector<std::pair<std::string, int64_t>>{{"feed-shop", 6}}));
  EXPECT_EQ(resyncs.load(), 0);
}

// A listening connection that drops (the server restarts, a proxy cuts it) is made again with
// back-off; the streams are told to look again (resynced), and later notifications arrive.
TEST(ChangeFeedTest, PostgresFeedListensAgainAfterADrop) {
  std::string error;
  const std::string url = pgtest::PostgresTestDb("stream_feed_drop", &error);
  ASSERT_FALSE(url.empty()) << error;
  std::mutex mu;
  std::vector<std::string> got;
  std::atomic<int> resyncs{0};
  ChangeFeedHandlers handlers;
  handlers.changed = [&](const std::string& survey, int64_t) {
    std::lock_guard<std::mutex> lock(mu);
    got.push_back(survey);
  };
  handlers.resynced = [&] { ++resyncs; };
  handlers.own_sender = [] { return 0; };
  handlers.log = [](const std::string&) {};
  ChangeFeed feed(url + "&application_name=stream_feed_drop", handlers);
  // Notifies `survey` until the feed passes it on (it may not listen yet); false after 5 s.
  auto delivered = [&](const std::string& survey) {
    const auto deadline = Clock::now() + std::chrono::seconds(5);
    while (Clock::now() < deadline) {
      EXPECT_EQ(pgtest::PostgresRun(url, "NOTIFY nazar_totals, '" + survey + ":1'"), "");
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      std::lock_guard<std::mutex> lock(mu);
      if (std::find(got.begin(), got.end(), survey) != got.end()) return true;
    }
    return false;
  };
  ASSERT_TRUE(delivered("before"));
  EXPECT_EQ(resyncs.load(), 0);
  // The feed's connection, told apart by its application name (tests may run in parallel).
  ASSERT_EQ(pgtest::PostgresRun(url,
                                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                "WHERE application_name = 'stream_feed_drop'"),
            "");
  const auto start = Clock::now();
  ASSERT_TRUE(delivered("after"));
  EXPECT_LT(SecondsSince(start), 2.0);
  EXPECT_EQ(resyncs.load(), 1);
}

TEST(ChangeFeedTest, PayloadParsing) {
  std::string survey;
  int64_t n = 0;
  EXPECT_TRUE(ParseChangePayload("shop:12", &survey, &n));
  EXPECT_EQ(survey, "shop");
  EXPECT_EQ(n, 12);
  for (const char* bad : {"shop", ":3", "shop:", "shop:0", "shop:-1", "shop:1x", "shop:3 "}) {
    EXPECT_FALSE(ParseChangePayload(bad, &survey, &n)) << bad;
  }
}

// BeginLong adds a worker in the caller's place up to the cap; it leaves once the task ended.
TEST(ElasticPoolTest, LongTasksGrowAndShrinkThePool) {
  ElasticPool pool(2, 2);
  EXPECT_EQ(pool.Workers(), 2u);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> admitted{0}, refused{0};
  for (int i = 0; i < 3; ++i) {
    pool.enqueue([&] {
      if (!pool.BeginLong()) {
        ++refused;
        return;
      }
      ++admitted;
      released.wait();
      pool.EndLong();
    });
  }
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  while (admitted + refused < 3 && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(admitted.load(), 2);
  EXPECT_EQ(refused.load(), 1);
  EXPECT_EQ(pool.Workers(), 4u);
  EXPECT_EQ(pool.Long(), 2u);
  // Two long tasks hold two workers: two more short ones still run at once.
  std::atomic<int> ran{0};
  pool.enqueue([&] { ++ran; });
  pool.enqueue([&] { ++ran; });
  while (ran < 2 && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(ran.load(), 2);
  release.set_value();
  while (pool.Workers() > 2 && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(pool.Workers(), 2u);
  EXPECT_EQ(pool.Long(), 0u);
}

}  // namespace
}  // namespace nazar::collector
