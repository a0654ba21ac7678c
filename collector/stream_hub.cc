#include "collector/stream_hub.h"

namespace nazar::collector {

StreamHub::Subscription::~Subscription() {
  std::lock_guard<std::mutex> lock(hub_->mu_);
  auto it = hub_->streams_.find(survey_);
  if (it == hub_->streams_.end()) return;
  it->second.erase(this);
  if (it->second.empty()) hub_->streams_.erase(it);
}

StreamHub::Mark StreamHub::Subscription::Now() const {
  std::lock_guard<std::mutex> lock(hub_->mu_);
  Mark mark;
  auto it = hub_->marks_.find(survey_);
  if (it != hub_->marks_.end()) mark = it->second;
  mark.version += hub_->resyncs_;
  mark.resyncs = hub_->resyncs_;
  return mark;
}

bool StreamHub::Subscription::Stopping() const {
  std::lock_guard<std::mutex> lock(hub_->mu_);
  return hub_->stopping_;
}

bool StreamHub::Subscription::WakeAt(int64_t answers) {
  std::lock_guard<std::mutex> lock(hub_->mu_);
  wake_at_ = answers;
  auto it = hub_->marks_.find(survey_);
  return (it == hub_->marks_.end() ? 0 : it->second.answers) < answers;
}

std::unique_ptr<StreamHub::Subscription> StreamHub::Subscribe(const std::string& survey) {
  std::unique_ptr<Subscription> sub(new Subscription(this, survey));
  if (!sub->wake_.ok()) return nullptr;
  std::lock_guard<std::mutex> lock(mu_);
  if (stopping_) return nullptr;
  streams_[survey].insert(sub.get());
  return sub;
}

void StreamHub::AddLocked(const std::string& survey, int64_t answers) {
  Mark& mark = marks_[survey];
  mark.answers += answers;
  ++mark.version;
  auto it = streams_.find(survey);
  if (it == streams_.end()) return;
  for (Subscription* s : it->second) {
    if (mark.answers >= s->wake_at_) s->wake_.Notify();
  }
}

void StreamHub::Changed(const std::map<std::string, int64_t>& answers) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [survey, n] : answers) AddLocked(survey, n);
}

void StreamHub::Add(const std::string& survey, int64_t answers) {
  std::lock_guard<std::mutex> lock(mu_);
  AddLocked(survey, answers);
}

void StreamHub::Resync() {
  std::lock_guard<std::mutex> lock(mu_);
  ++resyncs_;
  for (auto& [survey, subs] : streams_) {
    for (Subscription* s : subs) s->wake_.Notify();
  }
}

void StreamHub::Shutdown() {
  std::lock_guard<std::mutex> lock(mu_);
  stopping_ = true;
  for (auto& [survey, subs] : streams_) {
    for (Subscription* s : subs) s->wake_.Notify();
  }
}

size_t StreamHub::Open() const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = 0;
  for (const auto& [survey, subs] : streams_) n += subs.size();
  return n;
}

}  // namespace nazar::collector
