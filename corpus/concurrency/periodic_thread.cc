#include "corpus/concurrency/periodic_thread.h"

#include <utility>

namespace biocorpus {

PeriodicThread::PeriodicThread(std::chrono::milliseconds interval, std::function<void()> tick,
                               FirstTick first)
    : interval_(interval), tick_(std::move(tick)) {
  thread_ = std::thread([this, first] { Loop(first); });
}

PeriodicThread::~PeriodicThread() { Stop(); }

void PeriodicThread::Wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    woken_ = true;
  }
  changed_.notify_all();
}

void PeriodicThread::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void PeriodicThread::Loop(FirstTick first) {
  std::unique_lock<std::mutex> lock(mu_);
  bool due = first == FirstTick::kAtOnce;
  while (!stopping_) {
    if (!due) {
      changed_.wait_for(lock, interval_, [this] { return stopping_ || woken_; });
      if (stopping_) break;
    }
    due = false;
    woken_ = false;
    lock.unlock();
    tick_();
    lock.lock();
  }
}

}  // namespace biocorpus
