#include "collector/elastic_pool.h"

#include <utility>

namespace nazar::collector {

ElasticPool::ElasticPool(size_t base, size_t max_long) : base_(base), max_long_(max_long) {
  std::lock_guard<std::mutex> lock(mu_);
  for (size_t i = 0; i < base_; ++i) Spawn();
}

ElasticPool::~ElasticPool() { shutdown(); }

void ElasticPool::Spawn() {
  ++workers_;
  std::thread t([this] { Work(); });
  const std::thread::id id = t.get_id();
  threads_.emplace(id, std::move(t));
}

void ElasticPool::Work() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    wake_.wait(lock, [this] { return shutdown_ || !jobs_.empty() || workers_ > base_ + long_; });
    if (!jobs_.empty()) {
      std::function<void()> fn = std::move(jobs_.front());
      jobs_.pop_front();
      lock.unlock();
      fn();
      fn = nullptr;
      lock.lock();
      continue;
    }
    break;  // shutting down, or one worker more than base and the open streams need
  }
  --workers_;
  left_.push_back(std::this_thread::get_id());
}

void ElasticPool::Reap() {
  std::vector<std::thread> done;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const std::thread::id& id : left_) {
      auto it = threads_.find(id);
      if (it == threads_.end()) continue;
      done.push_back(std::move(it->second));
      threads_.erase(it);
    }
    left_.clear();
  }
  for (std::thread& t : done) t.join();
}

void ElasticPool::enqueue(std::function<void()> fn) {
  Reap();
  {
    std::lock_guard<std::mutex> lock(mu_);
    jobs_.push_back(std::move(fn));
  }
  wake_.notify_one();
}

void ElasticPool::shutdown() {
  std::map<std::thread::id, std::thread> all;
  {
    std::lock_guard<std::mutex> lock(mu_);
    shutdown_ = true;
    all.swap(threads_);
    left_.clear();
  }
  wake_.notify_all();
  for (auto& [id, t] : all) t.join();
}

bool ElasticPool::BeginLong() {
  Reap();
  std::lock_guard<std::mutex> lock(mu_);
  if (shutdown_ || long_ >= max_long_) return false;
  ++long_;
  Spawn();
  return true;
}

void ElasticPool::EndLong() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    --long_;
  }
  wake_.notify_one();  // an idle worker beyond what is needed now may leave
}

size_t ElasticPool::Workers() const {
  std::lock_guard<std::mutex> lock(mu_);
  return workers_;
}

size_t ElasticPool::Long() const {
  std::lock_guard<std::mutex> lock(mu_);
  return long_;
}

}  // namespace nazar::collector
