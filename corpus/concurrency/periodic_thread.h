#ifndef BIOCORPUS_CORPUS_CONCURRENCY_PERIODIC_THREAD_H_
#define BIOCORPUS_CORPUS_CONCURRENCY_PERIODIC_THREAD_H_

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace biocorpus {

// A thread of its own that calls `tick` every `interval` (and at once after
// Wake()) until it is stopped. Ticks never overlap. Stop() (or destruction)
// waits for a tick in progress, then joins; no tick starts after it.
// Thread-safe.
//
//   PeriodicThread catch_up(std::chrono::milliseconds(100), [&] { db.CatchUp(); });
class PeriodicThread {
 public:
  enum class FirstTick { kAfterInterval, kAtOnce };

  PeriodicThread(std::chrono::milliseconds interval, std::function<void()> tick,
                 FirstTick first = FirstTick::kAfterInterval);
  ~PeriodicThread();

  PeriodicThread(const PeriodicThread&) = delete;
  PeriodicThread& operator=(const PeriodicThread&) = delete;

  // Runs the next tick now rather than at the end of the interval (once, for
  // any number of calls before it starts).
  void Wake();

  // Stops the thread; idempotent.
  void Stop();

 private:
  void Loop(FirstTick first);

  const std::chrono::milliseconds interval_;
  const std::function<void()> tick_;
  std::mutex mu_;
  std::condition_variable changed_;
  bool woken_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_CORPUS_CONCURRENCY_PERIODIC_THREAD_H_
